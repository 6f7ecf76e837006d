using System;
using Eclairs.Training.Layers;
using Eclairs.Training.Networks;
using Eclairs.Training.Randomness;
using Xunit;

namespace Eclairs.Training.Tests;

public class MaxPoolTieTests
{
    [Theory]
    [InlineData(4, 4, 19)]
    [InlineData(5, 7, 8)]
    [InlineData(3, 3, 1)]
    public void Gradient_goes_to_the_first_maximum_of_each_window_even_with_ties(int h, int w, int c)
    {
        // Values from {0, 1, 2} make ties common (e.g. ReLU zeros); the reference routes to the first maximum in
        // row-major window order and gives nothing to the row/column dropped by the floor.
        TrainingLayer layer = LayerFactory.Create(new MaxPool2DSpec(), new TensorShape(h, w, c));
        var rng = new Xoshiro256StarStar(3);
        float[] input = new float[h * w * c];
        for (int i = 0; i < input.Length; i++)
        {
            input[i] = rng.NextInt(3);
        }

        float[] output = new float[layer.OutputShape.Size];
        float[] dOut = new float[output.Length];
        for (int i = 0; i < dOut.Length; i++)
        {
            dOut[i] = i + 1;
        }

        float[] dIn = new float[input.Length];
        Array.Fill(dIn, float.NaN); // must all be overwritten
        var context = new LayerContext(default, default, default, training: true, dropoutSeed: 0);
        layer.Forward(context, input, output);
        layer.Backward(context, input, output, dOut, dIn, computeInputGradient: true);

        float[] expected = new float[input.Length];
        for (int oy = 0; oy < h / 2; oy++)
        {
            for (int ox = 0; ox < w / 2; ox++)
            {
                for (int ch = 0; ch < c; ch++)
                {
                    int best = -1;
                    for (int d = 0; d < 4; d++)
                    {
                        int index = ((2 * oy + d / 2) * w + 2 * ox + d % 2) * c + ch;
                        if (best < 0 || input[index] > input[best])
                        {
                            best = index;
                        }
                    }

                    int o = (oy * (w / 2) + ox) * c + ch;
                    Assert.Equal(input[best], output[o]);
                    expected[best] = dOut[o];
                }
            }
        }

        Assert.Equal(expected, dIn);
    }
}
