namespace Eclairs.Simulation;

/// <summary>
/// What a catalogue-flare alert needs to be labelled from the truth: the catalogued source the trigger measured,
/// its true and catalogue rates in the alert's band, and what sets the noise there. <see cref="ExcessSigma"/> is the
/// expected significance of the excess (true − catalogue) with the balanced-correlation figure the scenarios use,
/// SNR = N_excess √((1 − f)/f) / √(N_source + B), N = rate x exposure x coding, B = background x exposure x pixels x
/// coding (docs/simulation.md, "Labels").
/// </summary>
/// <param name="CatalogueIndex">Index of the source in the truth's catalogue.</param>
/// <param name="TrueRateCountsPerS">Its true rate in the alert's band (counts/s on the fully coded detector).</param>
/// <param name="CatalogueRateCountsPerS">The catalogue's rate in the same band.</param>
/// <param name="BackgroundPerPixel">Flat background in the band (counts/s per pixel).</param>
/// <param name="Coding">Geometric partial coding of the catalogue position.</param>
/// <param name="DetectorPixels">Pixels of the detector (6,400).</param>
/// <param name="OpenFraction">The mask's open fraction f.</param>
/// <param name="ExcessSigma">Expected significance of the excess.</param>
public sealed record FlareTruth(
    int CatalogueIndex,
    double TrueRateCountsPerS,
    double CatalogueRateCountsPerS,
    double BackgroundPerPixel,
    double Coding,
    int DetectorPixels,
    double OpenFraction,
    double ExcessSigma);
