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
}
