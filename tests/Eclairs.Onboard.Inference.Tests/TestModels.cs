using System;
using System.Collections.Generic;
using System.Linq;
using Eclairs.Onboard.Inference;
using Xunit;

namespace Eclairs.Onboard.Inference.Tests;

/// <summary>Random weights, random inputs and small networks of awkward sizes.</summary>
internal static class TestModels
{
    /// <summary>7x9 input, 5x5 'valid' conv with 3 filters, 3x3 'same' conv with 5 filters and no activation, pool (floor), dense.</summary>
    public static NetworkDescription OddSmall() => new(
    [
        new InputLayer(7, 9),
        new ConcatenateLayer(),
        new Conv2DLayer(3, 5, Padding.Valid, Activation.Relu),
        new Conv2DLayer(5, 3, Padding.Same, Activation.None),
        new MaxPool2DLayer(),
        new FlattenLayer(),
        new DenseLayer(7, Activation.Relu),
        new DenseLayer(1, Activation.None),
        new SigmoidLayer(),
    ]);

    /// <summary>Channel counts that leave vector tails at every width (37, 20, 150), widths that are not multiples of 4, 5x5 'same'.</summary>
    public static NetworkDescription OddWide() => new(
    [
        new InputLayer(11, 13),
        new ConcatenateLayer(),
        new Conv2DLayer(37, 3, Padding.Same, Activation.Relu),
        new MaxPool2DLayer(),
        new Conv2DLayer(20, 5, Padding.Same, Activation.Relu),
        new Conv2DLayer(70, 3, Padding.Valid, Activation.Relu),
        new GlobalAveragePoolLayer(),
        new DenseLayer(150, Activation.Relu),
        new DropoutLayer(0.25f),
        new DenseLayer(1, Activation.None),
        new SigmoidLayer(),
    ]);

    /// <summary>Pooling straight after the input (its output is copied into a padded region) and two chained 'same' convolutions.</summary>
    public static NetworkDescription PoolFirst() => new(
    [
        new InputLayer(9, 10),
        new ConcatenateLayer(),
        new MaxPool2DLayer(),
        new Conv2DLayer(6, 5, Padding.Same, Activation.Relu),
        new Conv2DLayer(7, 3, Padding.Same, Activation.None),
        new GlobalAveragePoolLayer(),
        new DenseLayer(1, Activation.None),
        new SigmoidLayer(),
    ]);

    /// <summary>
    /// 3x3 convolutions the SIMD paths run with Winograd F(2x2, 3x3) (cin >= 8, even output): 'same' unpooled 9 -> 37
    /// writing into the next padded input, 'same' pooled 37 -> 21, 'valid' 21 -> 10 (vector and scalar channel tails).
    /// </summary>
    public static NetworkDescription WinogradShapes() => new(
    [
        new InputLayer(12, 12),
        new ConcatenateLayer(),
        new Conv2DLayer(9, 3, Padding.Same, Activation.Relu),
        new Conv2DLayer(37, 3, Padding.Same, Activation.Relu),
        new Conv2DLayer(21, 3, Padding.Same, Activation.None),
        new MaxPool2DLayer(),
        new Conv2DLayer(10, 3, Padding.Valid, Activation.Relu),
        new FlattenLayer(),
        new DenseLayer(1, Activation.None),
        new SigmoidLayer(),
    ]);

    /// <summary>
    /// Channel counts that leave exactly three vectors after the 4-vector blocks (28: 7 x 4 lanes at 128 bits, 3 x 8
    /// + 4 at 256; 60: 3 x 16 + 12 at 512), direct and Winograd, pooled and not, on rows whose width leaves 2, 3 and
    /// 1 pixels after the 4-pixel tiles.
    /// </summary>
    public static NetworkDescription ThreeVectorShapes() => new(
    [
        new InputLayer(10, 14),
        new ConcatenateLayer(),
        new Conv2DLayer(28, 3, Padding.Same, Activation.Relu),
        new Conv2DLayer(60, 3, Padding.Same, Activation.Relu),
        new MaxPool2DLayer(),
        new Conv2DLayer(28, 3, Padding.Same, Activation.Relu),
        new Conv2DLayer(60, 3, Padding.Valid, Activation.None),
        new FlattenLayer(),
        new DenseLayer(1, Activation.None),
        new SigmoidLayer(),
    ]);

    public static IEnumerable<NetworkDescription> All() =>
        [OddSmall(), OddWide(), PoolFirst(), WinogradShapes(), ThreeVectorShapes(), Architectures.CompactV1(), Architectures.CnnV1()];

    /// <summary>He-uniform weights and small biases, so activations stay of order 1 through any depth.</summary>
    public static List<float[]> RandomParameters(NetworkDescription network, int seed)
    {
        var random = new Random(seed);
        var result = new List<float[]>();
        foreach (TensorRequirement t in network.RequiredTensors)
        {
            var values = new float[t.ElementCount];
            double limit = t.Role == TensorRole.Bias ? 0.1 : Math.Sqrt(6.0 / (t.ElementCount / t.Shape[^1]));
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = (float)(((random.NextDouble() * 2) - 1) * limit);
            }
            result.Add(values);
        }
        return result;
    }

    public static ModelDocument RandomDocument(NetworkDescription network, int seed, out List<float[]> parameters)
    {
        parameters = RandomParameters(network, seed);
        return ModelDocument.FromParameters("test-" + seed, network, parameters) with { Provenance = "random weights, seed " + seed };
    }

    /// <summary>SNR in [-4, 6], mask mostly 1 with some 0, 2 and 3; NaN and garbage in some mask-0 pixels.</summary>
    public static (float[] Snr, byte[] Mask) RandomInput(int height, int width, int seed)
    {
        var random = new Random(seed);
        int n = height * width;
        var snr = new float[n];
        var mask = new byte[n];
        for (int i = 0; i < n; i++)
        {
            snr[i] = (float)((random.NextDouble() * 10) - 4);
            int r = random.Next(10);
            mask[i] = (byte)(r < 2 ? 0 : r < 8 ? 1 : r < 9 ? 2 : 3);
            if (mask[i] == 0 && random.Next(3) == 0)
            {
                snr[i] = random.Next(2) == 0 ? float.NaN : float.PositiveInfinity;
            }
        }
        // Borders all valid in one corner, so padding is exercised next to real data.
        for (int i = 0; i < Math.Min(width, n); i++)
        {
            mask[i] = 1;
            snr[i] = (float)((random.NextDouble() * 10) - 4);
        }
        return (snr, mask);
    }

    public static IEnumerable<KernelPath> SupportedPaths() =>
        new[] { KernelPath.Scalar, KernelPath.Vector128, KernelPath.Vector256, KernelPath.Vector512 }.Where(Model.IsSupported);

    public static TheoryData<KernelPath> Paths()
    {
        var data = new TheoryData<KernelPath>();
        foreach (KernelPath p in SupportedPaths())
        {
            data.Add(p);
        }
        return data;
    }
}
