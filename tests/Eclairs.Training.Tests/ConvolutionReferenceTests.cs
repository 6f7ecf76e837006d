using System;
using Eclairs.Training.Layers;
using Eclairs.Training.Networks;
using Eclairs.Training.Randomness;
using Xunit;

namespace Eclairs.Training.Tests;

/// <summary>The im2col + register-blocked GEMM convolution against plain loops, at the deck's channel counts and at odd ones.</summary>
public class ConvolutionReferenceTests
{
    [Theory]
    [InlineData(56, 56, 2, 32, 3, Padding.Same)]
    [InlineData(28, 28, 32, 64, 3, Padding.Same)]
    [InlineData(9, 11, 3, 17, 5, Padding.Valid)]
    [InlineData(10, 7, 5, 40, 5, Padding.Same)]
    [InlineData(6, 6, 13, 3, 3, Padding.Valid)]
    public void Forward_and_backward_match_naive_loops(int h, int w, int cin, int cout, int k, Padding padding)
    {
        var layer = (Conv2DLayer)LayerFactory.Create(new Conv2DSpec(cout, k, padding, Activation.None), new TensorShape(h, w, cin));
        var rng = new Xoshiro256StarStar(9);
        float[] parameters = Random(layer.ParameterCount, ref rng);
        float[] input = Random(h * w * cin, ref rng);
        float[] dOut = Random(layer.OutputShape.Size, ref rng);
        float[] output = new float[layer.OutputShape.Size];
        float[] gradients = new float[layer.ParameterCount];
        float[] dIn = new float[input.Length];
        float[] scratch = new float[layer.ScratchSize];
        var context = new LayerContext(parameters, gradients, scratch, training: true, dropoutSeed: 0);
        layer.Forward(context, input, output);
        layer.Backward(context, input, output, (float[])dOut.Clone(), dIn, computeInputGradient: true);

        int pad = padding == Padding.Same ? (k - 1) / 2 : 0;
        float[] weights = parameters[..layer.WeightCount];
        float[] bias = parameters[layer.WeightCount..];
        double[] expected = NaiveConvolution.Forward(input, h, w, cin, weights, bias, k, cout, pad, out _, out _);
        var (dW, dB, dInput) = NaiveConvolution.Backward(input, h, w, cin, weights, k, cout, pad, dOut);

        // Float accumulation of up to a few thousand terms of size ~1: 1e-4 absolute plus 1e-5 relative.
        AssertClose(expected, output);
        AssertClose(dW, gradients[..layer.WeightCount]);
        AssertClose(dB, gradients[layer.WeightCount..]);
        AssertClose(dInput, dIn);
    }

    private static void AssertClose(double[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-4 + 1e-5 * Math.Abs(expected[i]), $"[{i}] {expected[i]} vs {actual[i]}");
        }
    }

    private static float[] Random(int n, ref Xoshiro256StarStar rng)
    {
        var a = new float[n];
        for (int i = 0; i < n; i++)
        {
            a[i] = (float)(2 * rng.NextDouble() - 1);
        }

        return a;
    }
}
