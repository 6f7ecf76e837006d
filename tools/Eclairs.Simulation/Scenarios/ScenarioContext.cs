using System;

namespace Eclairs.Simulation.Scenarios;

/// <summary>Instrument facts every scenario needs to place sources and detector defects.</summary>
public sealed class ScenarioContext
{
    public ScenarioContext(SkyField sky, int moduleColumns, int moduleRows, double maskOpenFraction, double minPartialCoding)
    {
        ArgumentNullException.ThrowIfNull(sky);
        if (!(maskOpenFraction is > 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(maskOpenFraction), $"Open fraction must lie in (0, 1); got {maskOpenFraction}.");
        }

        Sky = sky;
        ModuleColumns = moduleColumns;
        ModuleRows = moduleRows;
        MaskOpenFraction = maskOpenFraction;
        MinPartialCoding = minPartialCoding;
    }

    public SkyField Sky { get; }
    public int DetectorSide => Sky.DetectorSide;
    public int ModuleColumns { get; }
    public int ModuleRows { get; }
    public double MaskOpenFraction { get; }

    /// <summary>The trigger's field-of-view edge in partial coding.</summary>
    public double MinPartialCoding { get; }

    /// <summary>Background level scenarios start from (counts/s per pixel, 4–120 keV): the nominal one unless the preset shifts it.</summary>
    public double BackgroundPerPixel { get; init; } = BackgroundField.NominalPerPixel;

    public DetectorState NewDetector() => new(DetectorSide, ModuleColumns, ModuleRows);

    /// <summary>
    /// Rate (counts/s on the fully illuminated detector) that gives an expected SNR of
    /// <paramref name="snr"/> at partial coding <paramref name="coding"/>, from the balanced
    /// correlation of a random mask with open fraction f: SNR = N sqrt((1-f)/f) / sqrt(N + B),
    /// N = rate T coding the source counts and B = background T pixels coding in the overlap.
    /// </summary>
    public double RateForSnr(double snr, double exposureS, double backgroundPerPixel, double coding)
    {
        double f = MaskOpenFraction;
        double k2 = (1 - f) / f;
        double b = backgroundPerPixel * exposureS * DetectorSide * DetectorSide * coding;
        double s2 = snr * snr / k2;
        double n = (s2 + Math.Sqrt(s2 * s2 + 4 * s2 * b)) / 2;
        return n / (exposureS * Math.Max(coding, 1e-6));
    }

    /// <summary>
    /// The true rate of a source whose catalogue rate is <paramref name="catalogueRate"/> and whose excess over it has an
    /// expected significance of <paramref name="excessSigma"/> (<see cref="ExcessSnr"/> solved for the true rate).
    /// </summary>
    public double RateForExcessSnr(double excessSigma, double catalogueRate, double exposureS, double backgroundPerPixel, double coding)
    {
        double f = MaskOpenFraction, k2 = (1 - f) / f, t = exposureS * Math.Max(coding, 1e-6);
        double b = backgroundPerPixel * exposureS * DetectorSide * DetectorSide * coding;
        double nc = catalogueRate * t, e2 = excessSigma * excessSigma;
        // k² (x − Nc)² = e² (x + B) for x = true counts, the larger root.
        double p = 2 * k2 * nc + e2, q = k2 * nc * nc - e2 * b;
        double x = (p + Math.Sqrt(Math.Max(0, p * p - 4 * k2 * q))) / (2 * k2);
        return x / t;
    }

    /// <summary>
    /// Expected significance of an excess rate <paramref name="excessRate"/> on top of a source of total rate
    /// <paramref name="totalRate"/> (both counts/s on the fully coded detector), by the same figure as
    /// <see cref="RateForSnr"/>: SNR = N_excess sqrt((1-f)/f) / sqrt(N_total + B); the variance comes from all the counts.
    /// </summary>
    public double ExcessSnr(double excessRate, double totalRate, double exposureS, double backgroundPerPixel, double coding)
    {
        double f = MaskOpenFraction;
        double b = backgroundPerPixel * exposureS * DetectorSide * DetectorSide * coding;
        double n = Math.Max(0, totalRate) * exposureS * coding;
        return excessRate * exposureS * coding * Math.Sqrt((1 - f) / f) / Math.Sqrt(n + b);
    }
}
