using System;

namespace Eclairs.Simulation.Pictures;

/// <summary>How SNR values map onto the colour map: a fixed range, or each image's own finite minimum to maximum.</summary>
public readonly record struct SnrScale(double Min, double Max, bool PerImage)
{
    /// <summary>Each image scaled from its own minimum to its maximum (over pixels whose mask is not 0, when a mask is given).</summary>
    public static SnrScale Auto => new(0, 0, true);

    public static SnrScale Fixed(double min, double max)
    {
        if (!(max > min) || !double.IsFinite(min) || !double.IsFinite(max))
        {
            throw new ArgumentException($"SNR range [{min}, {max}] must be finite with max > min");
        }

        return new SnrScale(min, max, false);
    }

    /// <summary>The range to use for one image.</summary>
    public (double Min, double Max) Resolve(ReadOnlySpan<float> snr, ReadOnlySpan<byte> mask)
    {
        if (!PerImage)
        {
            return (Min, Max);
        }

        double lo = double.PositiveInfinity;
        double hi = double.NegativeInfinity;
        for (int i = 0; i < snr.Length; i++)
        {
            if (float.IsFinite(snr[i]) && (mask.IsEmpty || mask[i] != 0))
            {
                lo = Math.Min(lo, snr[i]);
                hi = Math.Max(hi, snr[i]);
            }
        }

        if (double.IsInfinity(lo))
        {
            return (0, 1);
        }

        return hi > lo ? (lo, hi) : (lo - 0.5, lo + 0.5);
    }

    public static double Normalize(double value, (double Min, double Max) range) =>
        double.IsFinite(value) ? (value - range.Min) / (range.Max - range.Min) : double.NaN;
}
