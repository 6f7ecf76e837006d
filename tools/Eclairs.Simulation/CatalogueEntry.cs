namespace Eclairs.Simulation;

/// <summary>
/// What the onboard catalogue tells the trigger about a known source: where it is and the rate
/// the trigger subtracts. A bad subtraction is a catalogue rate that differs from the true rate
/// of the matching <see cref="SkySource"/>.
/// </summary>
/// <param name="Y">Catalogue sky-pixel coordinate along Y.</param>
/// <param name="Z">Catalogue sky-pixel coordinate along Z.</param>
/// <param name="RateCountsPerS">Rate the trigger subtracts (counts/s on the detector).</param>
/// <param name="ExclusionRadius">Sky pixels around it marked 2 in the mask and skipped by the peak search.</param>
public sealed record CatalogueEntry(double Y, double Z, double RateCountsPerS, double ExclusionRadius);
