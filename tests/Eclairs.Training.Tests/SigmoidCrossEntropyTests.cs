using System;
using Eclairs.Training.Layers;
using Xunit;

namespace Eclairs.Training.Tests;

public class SigmoidCrossEntropyTests
{
    [Theory]
    [InlineData(0, 1.0)]
    [InlineData(1, 1.0)]
    [InlineData(0, 0.7)]
    [InlineData(1, 2.3)]
    public void Gradient_matches_central_difference_in_double(int label, double weight)
    {
        // Bound: relative error 1e-6 with epsilon 1e-5 (double; truncation ~ eps^2 |f'''|).
        for (double z = -30; z <= 30; z += 0.37)
        {
            const double eps = 1e-5;
            double numeric = (SigmoidCrossEntropy.Loss(z + eps, label, weight) - SigmoidCrossEntropy.Loss(z - eps, label, weight)) / (2 * eps);
            double analytic = SigmoidCrossEntropy.Gradient(z, label, weight);
            Assert.True(Math.Abs(numeric - analytic) <= 1e-6 * Math.Max(1e-3, Math.Abs(analytic)) + 1e-9, $"z={z}: {numeric} vs {analytic}");
        }
    }

    [Fact]
    public void Loss_matches_definition_where_that_is_stable()
    {
        foreach (double z in new[] { -5.0, -0.3, 0.0, 0.8, 4.0 })
        {
            double p = 1 / (1 + Math.Exp(-z));
            Assert.Equal(-Math.Log(p), SigmoidCrossEntropy.Loss(z, 1), 12);
            Assert.Equal(-Math.Log(1 - p) * 2.5, SigmoidCrossEntropy.Loss(z, 0, 2.5), 12);
        }
    }

    [Fact]
    public void Extreme_logits_stay_finite()
    {
        Assert.Equal(1000.0, SigmoidCrossEntropy.Loss(1000, 0), 9);
        Assert.Equal(1000.0, SigmoidCrossEntropy.Loss(-1000, 1), 9);
        Assert.Equal(0.0, SigmoidCrossEntropy.Loss(1000, 1), 9);
        Assert.Equal(1.0, SigmoidCrossEntropy.Gradient(1000, 0), 12);
        Assert.Equal(-1.0, SigmoidCrossEntropy.Gradient(-1000, 1), 12);
        Assert.Equal(0.0, SigmoidCrossEntropy.Sigmoid(-1000));
    }
}
