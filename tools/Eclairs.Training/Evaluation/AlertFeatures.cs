using System;

namespace Eclairs.Training.Evaluation;

/// <summary>
/// Hand-made features of an alert's sub-image for the logistic-regression baseline, defined as the trigger defines its
/// quality figures (src/Eclairs.Onboard.Trigger/OnboardTrigger.cs) but on the 56 x 56 sub-image only:
/// <list type="number">
/// <item>peak SNR: the SNR at the trigger pixel (the sub-image's centre);</item>
/// <item>image std: population standard deviation of the SNR over background pixels (mask 1) outside the peak's
/// PSF radius;</item>
/// <item>second-peak ratio: the highest SNR over those same pixels divided by the peak SNR (0 when there are none);</item>
/// <item>masked fraction: the fraction of pixels with mask 0 (no data, outside the field of view);</item>
/// <item>known source present: 1 when any pixel has mask 2, else 0.</item>
/// </list>
/// </summary>
public static class AlertFeatures
{
    /// <summary>Number of features.</summary>
    public const int Count = 5;

    /// <summary>ECLAIRs's PSF radius in sky pixels: ceil((mask element 11.75 mm + pixel 4 mm) / pitch 4.5 mm), as the trigger uses.</summary>
    public const int DefaultPsfRadius = 4;

    /// <summary>Feature names, in order.</summary>
    public static readonly string[] Names = ["peak_snr", "image_std", "second_peak_ratio", "masked_fraction", "known_source"];

    /// <summary>Writes the <see cref="Count"/> features of one alert (row-major side x side SNR and mask, trigger at (side/2, side/2)).</summary>
    public static void Compute(ReadOnlySpan<float> snr, ReadOnlySpan<byte> mask, int side, Span<double> features, int psfRadius = DefaultPsfRadius)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(side, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(psfRadius);
        if (snr.Length != side * side || mask.Length != side * side)
        {
            throw new ArgumentException($"a {side} x {side} alert has {side * side} SNR and mask values; got {snr.Length} and {mask.Length}");
        }

        if (features.Length != Count)
        {
            throw new ArgumentException($"{Count} features, span of {features.Length}", nameof(features));
        }

        int centre = side / 2;
        double peak = mask[(centre * side) + centre] == 0 ? 0 : snr[(centre * side) + centre];
        double sum = 0, sum2 = 0, second = double.NegativeInfinity;
        int background = 0, masked = 0;
        bool known = false;
        int r2 = psfRadius * psfRadius;
        for (int y = 0; y < side; y++)
        {
            for (int x = 0; x < side; x++)
            {
                int p = (y * side) + x;
                masked += mask[p] == 0 ? 1 : 0;
                known |= mask[p] == 2;
                int dy = y - centre, dx = x - centre;
                if (mask[p] == 1 && (dy * dy) + (dx * dx) > r2)
                {
                    double v = snr[p];
                    sum += v;
                    sum2 += v * v;
                    second = Math.Max(second, v);
                    background++;
                }
            }
        }

        double mean = background > 0 ? sum / background : 0;
        features[0] = peak;
        features[1] = background > 1 ? Math.Sqrt(Math.Max(0, (sum2 / background) - (mean * mean))) : 0;
        features[2] = background > 0 && peak > 0 ? second / peak : 0;
        features[3] = (double)masked / (side * side);
        features[4] = known ? 1 : 0;
    }

    /// <summary>Features of <paramref name="count"/> alerts stored one after the other: a count x <see cref="Count"/> row-major matrix.</summary>
    public static double[] Compute(ReadOnlySpan<float> snr, ReadOnlySpan<byte> mask, int side, int count)
    {
        int pixels = side * side;
        if (snr.Length != count * pixels || mask.Length != count * pixels)
        {
            throw new ArgumentException($"{count} alerts of {side} x {side} need {count * pixels} SNR and mask values; got {snr.Length} and {mask.Length}");
        }

        var features = new double[count * Count];
        for (int i = 0; i < count; i++)
        {
            Compute(snr.Slice(i * pixels, pixels), mask.Slice(i * pixels, pixels), side, features.AsSpan(i * Count, Count));
        }

        return features;
    }
}
