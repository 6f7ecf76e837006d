using System;

namespace Eclairs.Simulation;

/// <summary>
/// The sky image's geometry as scenarios need it to place things: side, centre, angle per pixel
/// and the geometric partial-coding fraction (overlap of the mask's shadow with the detector).
/// Used to choose positions only; the trigger decides what is in its field of view.
/// </summary>
public sealed class SkyField
{
    public SkyField(int skySide, int detectorSide, int maskSide, double tanPerSkyPixel)
    {
        if (detectorSide < 2 || maskSide < detectorSide || skySide != maskSide + detectorSide - 1 || !(tanPerSkyPixel > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(skySide),
                $"Inconsistent sky geometry: sky {skySide}, detector {detectorSide}, mask {maskSide}, tan/pixel {tanPerSkyPixel}.");
        }

        SkySide = skySide;
        DetectorSide = detectorSide;
        MaskSide = maskSide;
        TanPerSkyPixel = tanPerSkyPixel;
    }

    /// <summary>ECLAIRs nominal: 80-pixel detector, mask rebinned to 120 cells, 199-pixel sky, 4.5/460 per pixel.</summary>
    public static SkyField Nominal { get; } = new(199, 80, 120, 4.5 / 460);

    public int SkySide { get; }
    public int DetectorSide { get; }
    public int MaskSide { get; }
    public double TanPerSkyPixel { get; }
    public double Centre => (SkySide - 1) / 2.0;

    /// <summary>Fraction of the detector width seen through the mask from sky coordinate <paramref name="p"/> along one axis.</summary>
    public double CodingAlongAxis(double p)
    {
        double overlap = Math.Min(Math.Min(p + 1, DetectorSide), SkySide - p);
        return Math.Clamp(overlap / DetectorSide, 0, 1);
    }

    /// <summary>Geometric partial-coding fraction of sky pixel (y, z): 1 in the fully coded field.</summary>
    public double PartialCoding(double y, double z) => CodingAlongAxis(y) * CodingAlongAxis(z);

    public double TanY(double y) => (y - Centre) * TanPerSkyPixel;

    public double TanZ(double z) => (z - Centre) * TanPerSkyPixel;

    /// <summary>Off-axis angle of a sky pixel, in degrees.</summary>
    public double OffAxisDeg(double y, double z)
    {
        double ty = TanY(y);
        double tz = TanZ(z);
        return Math.Atan(Math.Sqrt(ty * ty + tz * tz)) * 180 / Math.PI;
    }

    /// <summary>
    /// A random sky position whose partial coding lies in [<paramref name="minCoding"/>, <paramref name="maxCoding"/>],
    /// uniform per solid angle (pixels weighted by cos³ of the off-axis angle).
    /// </summary>
    public (double Y, double Z) RandomPosition(SimulationRandom rng, double minCoding, double maxCoding = 1.0)
    {
        ArgumentNullException.ThrowIfNull(rng);
        for (int attempt = 0; attempt < 100_000; attempt++)
        {
            double y = rng.Uniform(0, SkySide - 1);
            double z = rng.Uniform(0, SkySide - 1);
            double coding = PartialCoding(y, z);
            if (coding < minCoding || coding > maxCoding)
            {
                continue;
            }

            double cos = Math.Cos(OffAxisDeg(y, z) * Math.PI / 180);
            if (rng.NextDouble() <= cos * cos * cos)
            {
                return (y, z);
            }
        }

        throw new InvalidOperationException($"No sky position with partial coding in [{minCoding}, {maxCoding}].");
    }

    /// <summary>A position at distance [min, max] pixels from (y, z) that stays inside the sky image with coding at least <paramref name="minCoding"/>.</summary>
    public (double Y, double Z) RandomNear(SimulationRandom rng, double y, double z, double minDistance, double maxDistance, double minCoding)
    {
        ArgumentNullException.ThrowIfNull(rng);
        for (int attempt = 0; attempt < 10_000; attempt++)
        {
            double r = rng.Uniform(minDistance, maxDistance);
            double a = rng.Uniform(0, 2 * Math.PI);
            double py = y + r * Math.Cos(a);
            double pz = z + r * Math.Sin(a);
            if (py >= 0 && pz >= 0 && py <= SkySide - 1 && pz <= SkySide - 1 && PartialCoding(py, pz) >= minCoding)
            {
                return (py, pz);
            }
        }

        throw new InvalidOperationException($"No position {minDistance}-{maxDistance} pixels from ({y:F1}, {z:F1}) with coding >= {minCoding}.");
    }
}
