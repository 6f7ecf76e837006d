using System;
using System.Linq;
using Eclairs.Onboard.Inference.Quantized;
using Eclairs.Quantization;
using Xunit;

namespace Eclairs.Onboard.Inference.Tests.Quantized;

/// <summary>The calibration range rules against brute force over the raw values.</summary>
public sealed class ActivationHistogramTests
{
    /// <summary>Expected squared quantization error of a range as the histogram models it, computed from the raw values.</summary>
    private static double Error(float[] values, double lo, double hi)
    {
        double scale = (hi - lo) / 255.0, e = 0;
        foreach (float v in values)
        {
            if (v == 0)
            {
                continue;
            }
            e += v > hi ? (v - hi) * (v - hi) : v < lo ? (lo - v) * (lo - v) : scale * scale / 12.0;
        }
        return e;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void MseOptimalRangeIsTheBestBinEdgeRange(bool relu)
    {
        var random = new Random(3);
        // heavy-tailed, like feature maps: mostly small values, a few bright pixels; ReLU maps also many exact zeros
        float[] values = [.. Enumerable.Range(0, 20000).Select(_ =>
        {
            double g = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            double v = random.Next(200) == 0 ? 30 * random.NextDouble() : g;
            return (float)(relu ? Math.Max(0, v) : v);
        })];
        var h = new ActivationHistogram(values.Min(), values.Max());
        h.Add(values);
        (float lo, float hi) = h.MseOptimalRange();
        double best = Error(values, lo, hi);
        Assert.True(best <= Error(values, Math.Min(0, values.Min()), values.Max()) + 1e-9, "never worse than min/max");
        if (relu)
        {
            Assert.Equal(0f, lo);
        }
        // no other bin edge pair does better (a coarse sweep of the candidates, errors from the raw values)
        double binP = h.Max / ActivationHistogram.Bins, binN = -h.Min / ActivationHistogram.Bins;
        for (int p = 1; p <= ActivationHistogram.Bins; p += 7)
        {
            for (int n = relu ? 0 : 1; n <= (relu ? 0 : ActivationHistogram.Bins); n += 61)
            {
                Assert.True(best <= Error(values, -n * binN, p * binP) * (1 + 1e-6), $"edge ({n}, {p}) beats the choice");
            }
        }
        Assert.True(hi < values.Max(), "the few bright values are clipped");
    }

    [Fact]
    public void PercentileRangeLeavesTheFractionOut()
    {
        float[] values = [.. Enumerable.Range(-1000, 2001).Select(i => (float)i)];
        var h = new ActivationHistogram(-1000, 1000);
        h.Add(values);
        (float lo, float hi) = h.PercentileRange(0.01);
        Assert.InRange(values.Count(v => v > hi), 0, 20);
        Assert.InRange(values.Count(v => v < lo), 0, 20);
        Assert.InRange(hi, 975, 985);
        Assert.InRange(lo, -985, -975);
    }
}
