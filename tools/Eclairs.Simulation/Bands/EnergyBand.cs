namespace Eclairs.Simulation;

/// <summary>
/// The trigger energy band an alert came from, stored as the <c>band</c> byte of a data set. The real notices
/// carry 5–20 keV and 8–120 keV (Lower/Upper_Energy_Bound, `../shared/data/gcn-svom-eclairs/`); the presets
/// the shipped models were trained on simulate one broad band. Codes are part of the data-set format: only add.
/// </summary>
public enum EnergyBand : byte
{
    /// <summary>4–120 keV in one image: the single band of the presets before bands existed.</summary>
    Full = 0,

    /// <summary>5–20 keV, the soft trigger band.</summary>
    Soft = 1,

    /// <summary>8–120 keV, the hard trigger band.</summary>
    Hard = 2,
}

/// <summary>Which bands a preset's trigger runs: the legacy broad band, or the two bands of the flight notices at once.</summary>
public enum BandMode
{
    /// <summary>One 4–120 keV image per observation (every preset the shipped models were trained on).</summary>
    Full,

    /// <summary>A 5–20 keV and an 8–120 keV image of the same photons per observation, each through its own trigger.</summary>
    SoftAndHard,
}
