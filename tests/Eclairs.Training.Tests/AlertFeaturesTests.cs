using System;
using Eclairs.Training.Evaluation;
using Xunit;

namespace Eclairs.Training.Tests;

/// <summary>The baseline's hand-made features on a small alert whose figures are worked out by hand.</summary>
public class AlertFeaturesTests
{
    [Fact]
    public void Features_of_a_hand_built_alert()
    {
        // 6 x 6, trigger at (3, 3), PSF radius 1 (pixels with dy^2 + dx^2 <= 1 are the peak's).
        const int side = 6;
        var snr = new float[side * side];
        var mask = new byte[side * side];
        Array.Fill(mask, (byte)1);
        mask[(3 * side) + 3] = 3;
        snr[(3 * side) + 3] = 8;      // the peak
        snr[(3 * side) + 4] = 5;      // inside the PSF radius: not a second peak, not in the std
        snr[0] = 2;                   // the second peak
        snr[(1 * side) + 1] = 100;    // a known source: neither
        mask[(1 * side) + 1] = 2;
        for (int x = 0; x < side; x++)
        {
            mask[(5 * side) + x] = 0; // a row without data
            snr[(5 * side) + x] = 50;
        }

        Span<double> f = stackalloc double[AlertFeatures.Count];
        AlertFeatures.Compute(snr, mask, side, f, psfRadius: 1);

        // Background outside the PSF: 36 - 6 (no data) - 1 (known source) - 5 (peak and its 4 neighbours) = 24
        // pixels, one of them 2, the rest 0.
        double mean = 2.0 / 24, std = Math.Sqrt((4.0 / 24) - (mean * mean));
        Assert.Equal(8, f[0]);
        Assert.Equal(std, f[1], 12);
        Assert.Equal(2.0 / 8, f[2], 12);
        Assert.Equal(6.0 / 36, f[3], 12);
        Assert.Equal(1, f[4]);
    }

    [Fact]
    public void Batch_equals_one_by_one_and_bad_lengths_throw()
    {
        const int side = 4, count = 3;
        var rng = new Random(2);
        var snr = new float[count * side * side];
        var mask = new byte[count * side * side];
        for (int i = 0; i < snr.Length; i++)
        {
            snr[i] = (float)(rng.NextDouble() * 10);
            mask[i] = (byte)rng.Next(4);
        }

        double[] all = AlertFeatures.Compute(snr, mask, side, count);
        var one = new double[AlertFeatures.Count];
        for (int i = 0; i < count; i++)
        {
            AlertFeatures.Compute(snr.AsSpan(i * 16, 16), mask.AsSpan(i * 16, 16), side, one);
            Assert.Equal(one, all.AsSpan(i * AlertFeatures.Count, AlertFeatures.Count).ToArray());
        }

        Assert.Throws<ArgumentException>(() => AlertFeatures.Compute(snr, mask, side, count + 1));
        Assert.Throws<ArgumentException>(() => AlertFeatures.Compute(snr.AsSpan(0, 15), mask.AsSpan(0, 16), side, new double[AlertFeatures.Count]));
    }
}
