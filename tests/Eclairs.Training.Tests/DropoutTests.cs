using System;
using Eclairs.Training.Layers;
using Eclairs.Training.Networks;
using Xunit;

namespace Eclairs.Training.Tests;

public class DropoutTests
{
    private static float[] Run(double rate, ulong seed, bool training, int n = 100_000)
    {
        TrainingLayer layer = LayerFactory.Create(new DropoutSpec(rate), TensorShape.Vector(n));
        float[] input = new float[n];
        Array.Fill(input, 1f);
        float[] output = new float[n];
        layer.Forward(new LayerContext(default, default, default, training, seed), input, output);
        return output;
    }

    [Fact]
    public void Drops_the_rate_and_scales_the_rest_so_the_mean_is_kept()
    {
        float[] output = Run(0.3, seed: 5, training: true);
        int dropped = 0;
        foreach (float v in output)
        {
            if (v == 0)
            {
                dropped++;
            }
            else
            {
                Assert.Equal(1f / 0.7f, v, 6);
            }
        }

        Assert.InRange(dropped / (double)output.Length, 0.295, 0.305); // 0.3 +- 3.5 sigma
    }

    [Fact]
    public void Masks_depend_on_the_seed_only()
    {
        Assert.Equal(Run(0.5, 7, true, 1000), Run(0.5, 7, true, 1000));
        Assert.NotEqual(Run(0.5, 7, true, 1000), Run(0.5, 8, true, 1000));
        Assert.All(Run(0.5, 7, training: false, 1000), v => Assert.Equal(1f, v));
    }

    [Fact]
    public void Rate_outside_0_1_is_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => LayerFactory.Create(new DropoutSpec(1.0), TensorShape.Vector(4)));
        Assert.Throws<ArgumentOutOfRangeException>(() => LayerFactory.Create(new DropoutSpec(-0.1), TensorShape.Vector(4)));
    }
}
