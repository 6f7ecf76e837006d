using System.Text.Json.Serialization;

namespace Eclairs.Simulation;

/// <summary>
/// A real X-ray source in the field during the exposure, in sky-image pixel coordinates
/// (fractional; Y along detector columns, Z along rows, as the trigger's geometry defines them).
/// </summary>
/// <param name="Y">Sky-pixel coordinate along Y.</param>
/// <param name="Z">Sky-pixel coordinate along Z.</param>
/// <param name="RateCountsPerS">True count rate on the whole detector when fully coded and unocculted.</param>
/// <param name="IsNew">True for a source absent from the onboard catalogue (a burst or a new transient).</param>
/// <param name="VisibleFraction">Fraction of the exposure before the source set behind the Earth (1: never occulted).</param>
public sealed record SkySource(double Y, double Z, double RateCountsPerS, bool IsNew, double VisibleFraction = 1.0)
{
    /// <summary>Photon index of its power-law spectrum when the preset simulates energy bands; null in the single broad band.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? PhotonIndex { get; init; }
}
