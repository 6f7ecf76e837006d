namespace Eclairs.Simulation;

/// <summary>
/// What made an alert, stored as the <c>cause</c> byte of a data set. Codes are part of the data
/// set format (docs/simulation.md lists them): never renumber, only add.
/// </summary>
/// <remarks>1..9 true scenarios, 10..29 false causes of the seed deck, 30.. unclear cases.</remarks>
public enum AlertCause : byte
{
    /// <summary>A new burst in an otherwise quiet field, fully or partially coded.</summary>
    Burst = 1,

    /// <summary>A new burst with a bright catalogued source in its sub-image.</summary>
    BurstNearKnownSource = 2,

    /// <summary>A new burst that sets behind the Earth part-way through the exposure.</summary>
    BurstSettingBehindEarth = 3,

    /// <summary>A new burst seen in an incomplete image: missing detector modules or the field's edge.</summary>
    BurstIncompleteImage = 4,

    /// <summary>A catalogued source flaring above its catalogue rate, raised by the catalogue-flare criterion (notice type 203).</summary>
    CatalogueFlare = 5,

    /// <summary>Nothing but the Poisson noise of a correctly modelled background.</summary>
    StatisticalFluctuation = 10,

    /// <summary>South Atlantic Anomaly: a strong, non-uniform particle background surge.</summary>
    Saa = 11,

    /// <summary>A catalogued source whose rate was mis-estimated: residual plus its coding noise.</summary>
    BadSubtraction = 12,

    /// <summary>Coding-noise side lobes and ghosts of a bright source.</summary>
    BrightSourceArtefact = 13,

    /// <summary>Detector columns with excess counts.</summary>
    ColumnEffect = 14,

    /// <summary>XRDPIX module efficiencies that differ from the background model.</summary>
    XrdpixInhomogeneity = 15,

    /// <summary>The Earth in the field: bright limb, strong gradient, occulted sky.</summary>
    EarthInField = 16,

    /// <summary>A few noisy (hot) pixels.</summary>
    NoisyPixels = 17,

    /// <summary>Dead pixels the background model does not know about.</summary>
    DeadPixels = 18,

    /// <summary>Noise at 4–8 keV in the pixels near the heat pipes, along two sides of the plane (Xie et al. 2024).</summary>
    HeatPipeNoise = 19,

    /// <summary>Low-efficiency pixels at 4–8 keV from one production batch, unknown to the trigger (Xie et al. 2024).</summary>
    LowEfficiencyPixels = 20,

    /// <summary>High-threshold pixels (threshold raised against cross-talk: blind below ~8 keV), unknown to the trigger (Xie et al. 2024).</summary>
    HighThresholdPixels = 21,

    /// <summary>Two other (known) sources in the sub-image around a point-like trigger.</summary>
    UnclearTwoSources = 30,

    /// <summary>A point-like trigger on a perturbed background.</summary>
    UnclearPerturbedBackground = 31,
}
