namespace Eclairs.Simulation;

/// <summary>
/// Detector background in counts/s per pixel. The flat part is what the trigger's background
/// model removes; gradients are the non-uniform part (CXB vignetting, particle anisotropy,
/// Earth albedo) that a flat model leaves and a quadratic fit mostly takes out.
/// </summary>
/// <remarks>
/// rate(u, v) = PerPixel * (1 + GradientY*u + GradientZ*v + CurvatureY*u² + CurvatureZ*v²),
/// u, v in [-1, 1] from the first to the last detector column/row. The rate is clipped at 0.
/// </remarks>
public sealed record BackgroundField(
    double PerPixel,
    double GradientY = 0,
    double GradientZ = 0,
    double CurvatureY = 0,
    double CurvatureZ = 0)
{
    /// <summary>Nominal CXB-dominated background: 0.6 counts/s/pixel, ~3,800 counts/s on the
    /// 6,400 pixels (4–120 keV). Nominal, a stand-in for a detailed mass model.</summary>
    public const double NominalPerPixel = 0.6;

    public static BackgroundField Nominal { get; } = new(NominalPerPixel);
}
