using System;
using Eclairs.Training.Optimization;
using Xunit;

namespace Eclairs.Training.Tests;

public class AdamOptimizerTests
{
    [Fact]
    public void Two_steps_match_the_hand_computed_update()
    {
        var options = new AdamOptions { LearningRate = 0.01, Beta1 = 0.9, Beta2 = 0.999, Epsilon = 1e-7, WeightDecay = 0.1 };
        // Parameter 0 is a weight (decayed), parameter 1 a bias (not decayed).
        var adam = new AdamOptimizer(2, options, [new Range(0, 1)]);
        float[] w = [0.5f, -0.2f];
        adam.Apply(w, [0.3f, -0.4f]);

        // Step 1 by hand: m = 0.1 g, v = 0.001 g^2, m^ = g, v^ = g^2, so the Adam step is g/(|g| + 1e-7).
        double w0 = 0.5 - 0.01 * (0.3 / (0.3 + 1e-7) + 0.1 * 0.5);
        double w1 = -0.2 - 0.01 * (-0.4 / (0.4 + 1e-7));
        Assert.Equal(w0, w[0], 6);
        Assert.Equal(w1, w[1], 6);

        adam.Apply(w, [-0.1f, 0.2f]);
        // Step 2: m = 0.9 m1 + 0.1 g2, v = 0.999 v1 + 0.001 g2^2, corrections 1/(1-0.9^2), 1/(1-0.999^2).
        double m0 = 0.9 * 0.03 + 0.1 * -0.1, v0 = 0.999 * 0.001 * 0.09 + 0.001 * 0.01;
        double m1 = 0.9 * -0.04 + 0.1 * 0.2, v1 = 0.999 * 0.001 * 0.16 + 0.001 * 0.04;
        double c1 = 1 / (1 - 0.81), c2 = 1 / (1 - 0.999 * 0.999);
        double expected0 = w0 - 0.01 * (m0 * c1 / (Math.Sqrt(v0 * c2) + 1e-7) + 0.1 * w0);
        double expected1 = w1 - 0.01 * (m1 * c1 / (Math.Sqrt(v1 * c2) + 1e-7));
        Assert.Equal(expected0, w[0], 6);
        Assert.Equal(expected1, w[1], 6);
        Assert.Equal(2, adam.Step);
    }

    [Fact]
    public void Updating_in_slices_equals_updating_at_once()
    {
        var options = new AdamOptions { WeightDecay = 0.01 };
        var whole = new AdamOptimizer(5, options, [new Range(1, 4)]);
        var sliced = new AdamOptimizer(5, options, [new Range(1, 4)]);
        float[] a = [1, 2, 3, 4, 5], b = [1, 2, 3, 4, 5], g = [0.1f, -0.2f, 0.3f, 0f, 5f];
        for (int step = 0; step < 3; step++)
        {
            whole.Apply(a, g);
            sliced.BeginStep();
            sliced.Update(b.AsSpan(0, 2), g.AsSpan(0, 2), 0);
            sliced.Update(b.AsSpan(2), g.AsSpan(2), 2);
        }

        Assert.Equal(a, b);
    }

    [Fact]
    public void Bad_options_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => new AdamOptimizer(1, new AdamOptions { Beta1 = 1 }, []));
        Assert.Throws<ArgumentException>(() => new AdamOptimizer(1, new AdamOptions { LearningRate = 0 }, []));
        Assert.Throws<InvalidOperationException>(() => new AdamOptimizer(1, new AdamOptions(), []).Update(new float[1], new float[1], 0));
    }
}
