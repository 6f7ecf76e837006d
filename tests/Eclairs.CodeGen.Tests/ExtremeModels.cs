using System;
using System.Collections.Generic;
using System.Linq;
using Eclairs.Onboard.Inference;
using Eclairs.Onboard.Inference.Quantized;

namespace Eclairs.CodeGen.Tests;

/// <summary>
/// Networks the shipped models do not exercise, with random parameters at the extremes of the scheme: the generated
/// C is checked step by step against the engine on them (<see cref="ExtremeModelTests"/>), and the two 56x56 ones,
/// written to tests/codegen/fixtures (<see cref="CoverageFixtureTests"/>), drive the coverage stage.
/// </summary>
internal static class ExtremeModels
{
    public static IReadOnlyList<string> Names { get; } = ["OddTails", "PoolFirst", "ValidNoRelu", "WideWinograd", "CoverageA", "CoverageB", "Tiny",
        "Residual", "ResidualSmall"];

    public static NetworkDescription Network(string name) => name switch
    {
        // 37 and 6 channels leave tails of the 4-channel blocks; 13x11 pools with a floor; 5x5 'same'; dropout.
        "OddTails" => new NetworkDescription(
        [
            new InputLayer(13, 11), new ConcatenateLayer(),
            new Conv2DLayer(37, 3, Padding.Same, Activation.Relu), new MaxPool2DLayer(),
            new Conv2DLayer(6, 5, Padding.Same, Activation.Relu), new Conv2DLayer(9, 3, Padding.Valid, Activation.Relu),
            new GlobalAveragePoolLayer(), new DenseLayer(7, Activation.Relu), new DropoutLayer(0.25f),
            new DenseLayer(1, Activation.None), new SigmoidLayer(),
        ]),
        // A pool on the input, a pool after a pool, a flatten into dense.
        "PoolFirst" => new NetworkDescription(
        [
            new InputLayer(17, 18), new ConcatenateLayer(), new MaxPool2DLayer(),
            new Conv2DLayer(8, 3, Padding.Same, Activation.Relu), new MaxPool2DLayer(), new MaxPool2DLayer(),
            new FlattenLayer(), new DenseLayer(5, Activation.Relu), new DenseLayer(1, Activation.None), new SigmoidLayer(),
        ]),
        // cin 232 > the F(4x4) bound: F(2x2), pooled; 12x12 F(4x4) with cin 2; a dense of 720 inputs (two pair
        // chunks) and 37 outputs (a partial pass).
        "WideWinograd" => new NetworkDescription(
        [
            new InputLayer(12, 12), new ConcatenateLayer(),
            new Conv2DLayer(232, 3, Padding.Same, Activation.Relu), new Conv2DLayer(20, 3, Padding.Same, Activation.Relu), new MaxPool2DLayer(),
            new FlattenLayer(), new DenseLayer(37, Activation.Relu), new DenseLayer(1, Activation.None), new SigmoidLayer(),
        ]),
        // 56x56 (so that `eclairs vectors` can drive it: the coverage fixtures): a pool first, a 5x5 'valid' of 5
        // outputs (direct, a channel tail), F(4x4) of 232 outputs, F(2x2) (cin 232) 'valid' and pooled with 13 outputs
        // (a tail of the 8-channel blocks), F(4x4) unpooled on 5x5 (overhanging tiles), a dense of 37 outputs.
        "CoverageA" => new NetworkDescription(
        [
            new InputLayer(56, 56), new ConcatenateLayer(), new MaxPool2DLayer(),
            new Conv2DLayer(5, 5, Padding.Valid, Activation.Relu), new MaxPool2DLayer(),
            new Conv2DLayer(232, 3, Padding.Same, Activation.Relu), new Conv2DLayer(13, 3, Padding.Valid, Activation.Relu), new MaxPool2DLayer(),
            new Conv2DLayer(9, 3, Padding.Same, Activation.None), new GlobalAveragePoolLayer(),
            new DenseLayer(37, Activation.Relu), new DenseLayer(1, Activation.None), new SigmoidLayer(),
        ]),
        // 56x56: F(4x4) 'valid' pooled to an odd 27x27, then 'same' pooled to 13x13, a dense of 676 inputs (two pair chunks).
        "CoverageB" => new NetworkDescription(
        [
            new InputLayer(56, 56), new ConcatenateLayer(),
            new Conv2DLayer(8, 3, Padding.Valid, Activation.Relu), new MaxPool2DLayer(),
            new Conv2DLayer(4, 3, Padding.Same, Activation.Relu), new MaxPool2DLayer(),
            new FlattenLayer(), new DenseLayer(20, Activation.Relu), new DenseLayer(1, Activation.None), new SigmoidLayer(),
        ]),
        // Few parameters, every kind of step (the static checks' fixture: cppcheck reads its generated C quickly).
        "Tiny" => new NetworkDescription(
        [
            new InputLayer(8, 8), new ConcatenateLayer(),
            new Conv2DLayer(8, 3, Padding.Same, Activation.Relu), new MaxPool2DLayer(), new Conv2DLayer(5, 5, Padding.Same, Activation.Relu),
            new MaxPool2DLayer(), new GlobalAveragePoolLayer(), new DenseLayer(6, Activation.Relu), new DenseLayer(1, Activation.None), new SigmoidLayer(),
        ]),
        // 56x56 (`eclairs vectors` drives it: tests/codegen/run.sh on the host, LEON3 and Cortex-M4): a ResNet-like
        // pair of blocks. Block 1: identity shortcut around two 3x3, whose input is a fused conv + pool output (kept).
        // Block 2: 3x3 stride 2 and 3x3 on the main branch, a 1x1 stride-2 projection on the shortcut (a Branch back
        // to block 1's output), the Add reading the main branch's kept output. Then a 2x2 average pool, a 1x1
        // convolution, the global average pool and the logit.
        "Residual" => new NetworkDescription(
        [
            new InputLayer(56, 56), new ConcatenateLayer(),
            new Conv2DLayer(16, 3, Padding.Same, Activation.Relu), new MaxPool2DLayer(),
            new Conv2DLayer(16, 3, Padding.Same, Activation.Relu), new Conv2DLayer(16, 3, Padding.Same, Activation.None),
            new AddLayer(3, Activation.Relu),
            new GeneralConv2DLayer(32, 3, 2, Padding.Same, Activation.Relu), new Conv2DLayer(32, 3, Padding.Same, Activation.None),
            new BranchLayer(6), new GeneralConv2DLayer(32, 1, 2, Padding.Same, Activation.None),
            new AddLayer(8, Activation.Relu), new AveragePool2DLayer(),
            new GeneralConv2DLayer(24, 1, 1, Padding.Valid, Activation.Relu), new GlobalAveragePoolLayer(),
            new DenseLayer(1, Activation.None), new SigmoidLayer(),
        ]),
        // Few parameters, every residual step (the static checks' second fixture): an Add that reads the network
        // input (kept in its own slot), an Add without ReLU, an average pool on an odd size, 5x5 and 7x7 stride 2.
        "ResidualSmall" => new NetworkDescription(
        [
            new InputLayer(9, 9), new ConcatenateLayer(),
            new Conv2DLayer(2, 3, Padding.Same, Activation.Relu), new AddLayer(1, Activation.None), new AveragePool2DLayer(),
            new GeneralConv2DLayer(4, 5, 2, Padding.Same, Activation.Relu), new GeneralConv2DLayer(8, 1, 1, Padding.Same, Activation.Relu),
            new DropoutLayer(0.5f), new Conv2DLayer(8, 3, Padding.Same, Activation.None), new AddLayer(6, Activation.Relu),
            new BranchLayer(4), new GeneralConv2DLayer(3, 7, 2, Padding.Same, Activation.Relu),
            new FlattenLayer(), new DenseLayer(3, Activation.Relu), new DenseLayer(1, Activation.None), new SigmoidLayer(),
        ]),
        // 'valid' 5x5 without ReLU, then a fused pool on an odd size; dense without ReLU in the middle.
        _ => new NetworkDescription(
        [
            new InputLayer(12, 9), new ConcatenateLayer(),
            new Conv2DLayer(12, 5, Padding.Valid, Activation.None), new MaxPool2DLayer(),
            new Conv2DLayer(4, 3, Padding.Same, Activation.Relu), new FlattenLayer(),
            new DenseLayer(8, Activation.None), new DenseLayer(1, Activation.None), new SigmoidLayer(),
        ]),
    };

    /// <summary>
    /// Random parameters at the extremes of the scheme: weights ±127, zero points -128 and 127, multipliers 0 and up to
    /// 2^31 - 1, shifts -31 and up to +30 (left shifts wrap), biases up to ±2^24 and at the int32 ends (sums wrap).
    /// <paramref name="tame"/>: no left shift and biases within ±2^20 (so that pooling the sums is exact).
    /// </summary>
    public static ModelDocument Random(NetworkDescription network, int seed, bool tame)
    {
        var random = new Random(seed + 17);
        var layers = new List<Int8LayerParameters>();
        foreach (LayerInfo info in network.LayerInfos.Where(l => l.Spec is Conv2DLayer or DenseLayer or GeneralConv2DLayer))
        {
            int cout = info.OutputShape.Channels;
            long n = info.Spec switch
            {
                Conv2DLayer c => (long)c.KernelSize * c.KernelSize * info.InputShape.Channels * cout,
                GeneralConv2DLayer g => (long)g.KernelSize * g.KernelSize * info.InputShape.Channels * cout,
                _ => info.InputShape.Size * cout,
            };
            var w = new sbyte[n];
            for (int i = 0; i < w.Length; i++)
            {
                int r = random.Next(10);
                w[i] = (sbyte)(r == 0 ? 127 : r == 1 ? -127 : random.Next(-127, 128));
            }
            var bias = new int[cout];
            var multiplier = new int[cout];
            var shift = new int[cout];
            for (int o = 0; o < cout; o++)
            {
                int b = random.Next(25);
                // Now and then a bias at the int32 ends: the sums wrap, as the reference's unchecked int32 does.
                bias[o] = tame ? random.Next(-(1 << 20), 1 << 20)
                    : b == 0 ? int.MaxValue - random.Next(1 << 20) : b == 1 ? int.MinValue + random.Next(2) : random.Next(-(1 << 24), 1 << 24);
                multiplier[o] = random.Next(20) == 0 ? 0 : random.Next(1 << 30, int.MaxValue);
                int s = random.Next(20);
                shift[o] = s == 0 ? -31 : (s == 1 && !tame) ? 30 : (s == 2 && !tame) ? random.Next(1, 8) : random.Next(-20, -8);
            }
            int zp = random.Next(4) == 0 ? (random.Next(2) == 0 ? -128 : 127) : random.Next(-128, 128);
            layers.Add(new Int8LayerParameters(info.Index, w, bias, Enumerable.Repeat(0.01f, cout).ToArray(), multiplier, shift, 0.05f, zp));
        }
        // A random decision threshold, with the integer one the engine insists on (derived from it at load).
        float probability = (float)random.NextDouble();
        int threshold = Int8Decision.IntegerThreshold(probability, layers[^1].OutputScale, layers[^1].OutputZeroPoint);
        var parameters = new Int8Parameters(random.Next(1, 30), -100, threshold, layers, RandomAdds(network, seed, tame));
        return new ModelDocument("extreme-" + seed, network, parameters.ToTensors(network)) { NumberFormat = NumberFormat.Int8, DecisionThreshold = probability };
    }

    /// <summary>
    /// The Adds' requantization, from a generator of its own (the other layers' parameters stay those of the files
    /// written before Adds existed): multipliers in [2^30, 2^31) and now and then 0, input shifts around TFLM's (the
    /// common scale is twice the larger input scale: -1 to -3) and now and then -31, output shifts around -20 (the
    /// 2^20 of the left shift) and, unless tame, now and then 0, where the sum saturates; zero points at the ends.
    /// </summary>
    private static List<Int8AddParameters> RandomAdds(NetworkDescription network, int seed, bool tame)
    {
        var random = new Random(seed + 31);
        var adds = new List<Int8AddParameters>();
        foreach (LayerInfo info in network.LayerInfos.Where(l => l.Spec is AddLayer))
        {
            int Multiplier() => !tame && random.Next(12) == 0 ? 0 : random.Next(1 << 30, int.MaxValue);
            int InputShift() => !tame && random.Next(12) == 0 ? -31 : -random.Next(1, 4);
            int outputShift = !tame && random.Next(6) == 0 ? 0 : -random.Next(14, 23);
            int zp = random.Next(4) == 0 ? (random.Next(2) == 0 ? -128 : 127) : random.Next(-128, 128);
            adds.Add(new Int8AddParameters(info.Index, [Multiplier(), Multiplier(), Multiplier()], [InputShift(), InputShift(), outputShift], 0.05f, zp));
        }
        return adds;
    }

    /// <summary>A quantized input, an eighth of its codes at -128 and an eighth at 127.</summary>
    public static sbyte[] RandomInput(NetworkDescription network, int seed)
    {
        var random = new Random(seed);
        var q = new sbyte[network.InputHeight * network.InputWidth * 2];
        for (int i = 0; i < q.Length; i++)
        {
            int r = random.Next(8);
            q[i] = (sbyte)(r == 0 ? -128 : r == 1 ? 127 : random.Next(-128, 128));
        }
        return q;
    }
}
