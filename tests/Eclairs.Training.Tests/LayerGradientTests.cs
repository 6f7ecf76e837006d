using System;
using Eclairs.Training.Networks;
using Xunit;
using Xunit.Abstractions;

namespace Eclairs.Training.Tests;

/// <summary>
/// Finite-difference checks of every layer's backward pass, for parameters and input, in float.
/// Error measure: |numeric - analytic| / max(|numeric|, |analytic|, 1e-2).
/// Linear layers are checked with epsilon 0.25 (the difference quotient is exact up to rounding): bound 5e-4.
/// Piecewise-linear layers (fused ReLU, max pooling) with epsilon 1e-2, kinks skipped: bound 3e-3. Up to 20 % of
/// coordinates may be kinks: one input pixel of a conv feeds k*k*cout ReLUs, and one of them often crosses zero.
/// </summary>
public class LayerGradientTests(ITestOutputHelper output)
{
    private const double LinearBound = 5e-4;
    private const double PiecewiseBound = 3e-3;

    private void CheckLinear(LayerSpec spec, TensorShape input, bool training = true) =>
        Check(spec, input, 0.25f, LinearBound, maxKinks: 0, training);

    private void CheckPiecewise(LayerSpec spec, TensorShape input, Func<float[], float[], int[]> pattern) =>
        Check(spec, input, 1e-2f, PiecewiseBound, maxKinks: 0.2, training: true, pattern);

    private static int[] ActiveRelus(float[] input, float[] output) => Array.ConvertAll(output, o => o > 0 ? 1 : 0);

    private void Check(
        LayerSpec spec, TensorShape input, float epsilon, double bound, double maxKinks, bool training, Func<float[], float[], int[]>? pattern = null)
    {
        var checker = new GradientChecker(spec, input, seed: 42, training, pattern: pattern);
        checker.Run(epsilon);
        output.WriteLine($"{spec} on {input}: checked {checker.Checked}, kinks {checker.Kinks}, max rel err {checker.MaxRelativeError:E2}");
        checker.AssertWithin(bound, maxKinks);
    }

    [Theory]
    [InlineData(3, Padding.Same, 3, 5)]
    [InlineData(3, Padding.Valid, 3, 5)]
    [InlineData(5, Padding.Same, 3, 7)]
    [InlineData(5, Padding.Valid, 2, 3)]
    [InlineData(3, Padding.Same, 5, 19)]
    [InlineData(5, Padding.Same, 1, 33)]
    [InlineData(3, Padding.Valid, 7, 17)]
    public void Conv2D_linear(int kernel, Padding padding, int cin, int cout) =>
        CheckLinear(new Conv2DSpec(cout, kernel, padding, Activation.None), new TensorShape(7, 9, cin));

    [Theory]
    [InlineData(3, Padding.Same, 3, 5)]
    [InlineData(5, Padding.Valid, 3, 5)]
    [InlineData(3, Padding.Valid, 4, 9)]
    public void Conv2D_relu(int kernel, Padding padding, int cin, int cout) =>
        CheckPiecewise(new Conv2DSpec(cout, kernel, padding, Activation.Relu), new TensorShape(8, 7, cin), ActiveRelus);

    [Fact]
    public void MaxPool2D_odd_size_floor() => CheckPiecewise(new MaxPool2DSpec(), new TensorShape(7, 9, 3), PoolWinners(9, 3));

    [Fact]
    public void MaxPool2D_vector_channels() => CheckPiecewise(new MaxPool2DSpec(), new TensorShape(6, 5, 21), PoolWinners(5, 21));

    /// <summary>Index of the largest input of every 2x2 window (naive, for kink detection).</summary>
    private static Func<float[], float[], int[]> PoolWinners(int width, int channels) => (input, output) =>
    {
        int outW = width / 2;
        var winners = new int[output.Length];
        for (int o = 0; o < output.Length; o++)
        {
            int c = o % channels, ox = o / channels % outW, oy = o / channels / outW;
            int best = -1;
            for (int dy = 0; dy < 2; dy++)
            {
                for (int dx = 0; dx < 2; dx++)
                {
                    int i = (((2 * oy) + dy) * width + 2 * ox + dx) * channels + c;
                    if (best < 0 || input[i] > input[best])
                    {
                        best = i;
                    }
                }
            }

            winners[o] = best;
        }

        return winners;
    };

    [Fact]
    public void GlobalAveragePool() => CheckLinear(new GlobalAveragePoolSpec(), new TensorShape(5, 4, 3));

    [Fact]
    public void Flatten() => CheckLinear(new FlattenSpec(), new TensorShape(3, 4, 5));

    [Fact]
    public void Dense_linear() => CheckLinear(new DenseSpec(7, Activation.None), TensorShape.Vector(11));

    [Fact]
    public void Dense_relu() => CheckPiecewise(new DenseSpec(19, Activation.Relu), TensorShape.Vector(13), ActiveRelus);

    [Fact]
    public void Dropout_fixed_mask() => CheckLinear(new DropoutSpec(0.4), TensorShape.Vector(50));

    [Fact]
    public void Dropout_inference_is_identity() => CheckLinear(new DropoutSpec(0.4), TensorShape.Vector(50), training: false);
}
