namespace Eclairs.Onboard.Trigger;

/// <summary>A catalogue source (ICD ecl_known_source).</summary>
/// <param name="Y">Sky-image column (fractional pixels).</param>
/// <param name="Z">Sky-image row (fractional pixels).</param>
/// <param name="CountsPerSecond">Expected count rate from this source summed over the active detector
/// (through the mask); its modelled shadowgram times the exposure is subtracted before the search.</param>
/// <param name="ExclusionRadius">Sky pixels within this distance are marked 2 and skipped by the peak search.</param>
public readonly record struct KnownSource(float Y, float Z, float CountsPerSecond, float ExclusionRadius);
