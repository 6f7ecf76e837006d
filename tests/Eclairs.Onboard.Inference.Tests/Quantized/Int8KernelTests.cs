using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.Intrinsics;
using Eclairs.Onboard.Inference.Quantized;
using Xunit;

namespace Eclairs.Onboard.Inference.Tests.Quantized;

/// <summary>Every int8 kernel path against the scalar reference, bit for bit; the reference against a naive network.</summary>
public sealed class Int8KernelTests
{
    public static TheoryData<string> Networks() => ["OddSmall", "OddWide", "PoolFirst", "WinogradShapes", "Int8Winograd", "Int8Winograd4", "CompactV1", "CnnV1"];

    internal static NetworkDescription Network(string name) => name switch
    {
        "OddSmall" => TestModels.OddSmall(),
        "OddWide" => TestModels.OddWide(),
        "PoolFirst" => TestModels.PoolFirst(),
        "WinogradShapes" => TestModels.WinogradShapes(),
        "CompactV1" => Architectures.CompactV1(),
        "Int8Winograd" => Int8WinogradShapes(),
        "Int8Winograd4" => Int8Winograd4Shapes(),
        _ => Architectures.CnnV1(),
    };

    /// <summary>
    /// Layers the integer Winograd kernels take (3x3 'same', input channels in eights) with output-channel tails
    /// against every block width (24, 13, 40): F(4x4) on the 12x12 maps (9 tiles: two blocks of 4 and a single tile),
    /// F(2x2) on the 6x6 map (rows of 3 single tiles), between direct convolutions (cin 2, cin 13).
    /// </summary>
    private static NetworkDescription Int8WinogradShapes() => new(
    [
        new InputLayer(12, 12),
        new ConcatenateLayer(),
        new Conv2DLayer(8, 3, Padding.Same, Activation.Relu),
        new Conv2DLayer(24, 3, Padding.Same, Activation.Relu),
        new Conv2DLayer(13, 3, Padding.Same, Activation.None),
        new MaxPool2DLayer(),
        new Conv2DLayer(16, 3, Padding.Same, Activation.Relu),
        new Conv2DLayer(40, 3, Padding.Same, Activation.Relu),
        new FlattenLayer(),
        new DenseLayer(1, Activation.None),
        new SigmoidLayer(),
    ]);

    /// <summary>
    /// F(4x4) at its channel bound (cin 112: |Y| up to 9·112·127·255, just under 2^25) on a 20x20 map (25 tiles: six
    /// blocks of 4 and one), then F(2x2) at 10x10 (cin 40) before the dense layer.
    /// </summary>
    private static NetworkDescription Int8Winograd4Shapes() => new(
    [
        new InputLayer(20, 20),
        new ConcatenateLayer(),
        new Conv2DLayer(8, 3, Padding.Same, Activation.Relu),
        new Conv2DLayer(112, 3, Padding.Same, Activation.None),
        new Conv2DLayer(40, 3, Padding.Same, Activation.Relu),
        new MaxPool2DLayer(),
        new Conv2DLayer(16, 3, Padding.Same, Activation.Relu),
        new FlattenLayer(),
        new DenseLayer(1, Activation.None),
        new SigmoidLayer(),
    ]);

    [Theory]
    [MemberData(nameof(Networks))]
    public void VectorPathsMatchReferenceOnExtremes(string name)
    {
        NetworkDescription network = Network(name);
        KernelPath[] paths = [.. new[] { KernelPath.Vector128, KernelPath.Vector256, KernelPath.Vector512 }.Where(Int8Model.IsSupported)];
        for (int seed = 0; seed < 6; seed++)
        {
            bool leftShifts = seed < 3; // seeds 3..5: no left shift, so pools are fused into their convolutions
            ModelDocument doc = Int8TestModels.ExtremeRandom(network, seed, leftShifts);
            Int8Context reference = Int8Model.FromDocument(doc, KernelPath.Scalar).CreateContext();
            foreach ((KernelPath path, int maxTile) in paths.SelectMany(p => new[] { (p, 4), (p, 2), (p, 0) }))
            {
                foreach (bool everyStep in new[] { true, false })
                {
                    Int8Model model = Int8Model.FromDocument(doc, new ModelOptions { KernelPath = path, MaxWinogradTile = maxTile, KeepEveryStep = everyStep });
                    Int8Step[] steps = model.StepsCopy();
                    if (maxTile == 4 && name is "CnnV1" or "CompactV1" or "Int8Winograd" or "Int8Winograd4")
                    {
                        Assert.Contains(steps, l => l.Algorithm == KernelAlgorithm.WinogradF4 && l.Workspace >= 0); // the integer F(4x4) is under test
                    }
                    if (maxTile == 2 && name is "CnnV1" or "CompactV1" or "Int8Winograd" or "Int8Winograd4")
                    {
                        Assert.Contains(steps, l => l.Algorithm == KernelAlgorithm.WinogradF2 && l.Workspace >= 0); // and F(2x2)
                    }
                    Assert.All(steps, l => Assert.True(l.Algorithm != KernelAlgorithm.WinogradF4 || maxTile >= 4));
                    if (maxTile == 0)
                    {
                        // No Winograd workspace (the dense kernel's row list is the only workspace left).
                        Assert.DoesNotContain(steps, l => (l.Workspace >= 0 && l.Algorithm != KernelAlgorithm.Dense) || l.Algorithm is KernelAlgorithm.WinogradF2 or KernelAlgorithm.WinogradF4 or KernelAlgorithm.PairWinogradF2);
                    }
                    // A fused pool needs requantization to be monotone: no left shift in that layer.
                    Assert.All(steps.Where(l => l.PoolDestination >= 0), l => Assert.Equal(0, l.HasLeftShift));
                    Assert.True(model.KeepsEveryStep == (everyStep || !steps.Any(l => l.PoolDestination >= 0)));
                    if (!leftShifts && name is not "PoolFirst" && !everyStep)
                    {
                        Assert.Contains(steps, l => l.PoolDestination >= 0); // a pool fused into its convolution is under test
                        if (name is "CnnV1" or "CompactV1" or "OddWide" && maxTile >= 2)
                        {
                            Assert.Contains(steps, l => l.Algorithm == KernelAlgorithm.PairWinogradF2); // and the one-pair Winograd kernel (3x3 'same' on SNR and mask)
                        }
                    }
                    if (everyStep)
                    {
                        Assert.DoesNotContain(steps, l => l.PoolDestination >= 0 || l.Algorithm is KernelAlgorithm.PairWinogradF2 or KernelAlgorithm.None);
                    }
                    Int8Context simd = model.CreateContext();
                    for (int input = 0; input < 3; input++)
                    {
                        sbyte[] q = Int8TestModels.RandomQuantizedInput(network, (seed * 10) + input);
                        Int8ClassificationResult a = reference.ClassifyQuantized(q), b = simd.ClassifyQuantized(q);
                        int compared = 0;
                        for (int s = 0; s < reference.StepCount; s++)
                        {
                            if (simd.HasStepOutput(s))
                            {
                                Assert.True(reference.StepOutput(s).SequenceEqual(simd.StepOutput(s)),
                                    $"{name} {path} seed {seed} everyStep {everyStep}: step {s} ({reference.StepKind(s)}) differs");
                                compared++;
                            }
                        }
                        Assert.Equal(reference.StepCount - steps.Count(l => l.PoolDestination >= 0), compared);
                        Assert.Equal(a, b);
                    }
                }
            }
        }
    }

    [Fact]
    public void RequantizationIsMonotoneForEveryMultiplierTheLoaderAcceptsWithoutLeftShift()
    {
        // What makes maxpool(requantize(acc)) == requantize(max(acc)), the pool fusion's premise.
        var random = new Random(11);
        int[] special = [int.MinValue, int.MinValue + 1, -1, 0, 1, int.MaxValue - 1, int.MaxValue];
        for (int i = 0; i < 200_000; i++)
        {
            int m = i % 50 == 0 ? 0 : i % 51 == 0 ? int.MaxValue : i % 52 == 0 ? 1 << 30 : random.Next(1 << 30, int.MaxValue);
            int shift = -random.Next(0, 32);
            int a = random.Next(4) == 0 ? special[random.Next(special.Length)] : random.Next(int.MinValue, int.MaxValue);
            int b = random.Next(2) == 0 ? (int)Math.Min(int.MaxValue, (long)a + random.Next(0, 4)) : random.Next(a, int.MaxValue);
            Assert.True(FixedPoint.MultiplyByQuantizedMultiplier(a, m, shift) <= FixedPoint.MultiplyByQuantizedMultiplier(b, m, shift),
                $"x {a} <= {b}, M {m}, shift {shift}");
        }
        // A left shift wraps: 2^30 · 2 is INT32_MIN, so a larger sum can requantize lower. The plan refuses the fusion then.
        Assert.True(FixedPoint.MultiplyByQuantizedMultiplier(1 << 30, 1 << 30, 1) < FixedPoint.MultiplyByQuantizedMultiplier((1 << 30) - (1 << 20), 1 << 30, 1));
    }

    [Fact]
    public void PoolFusionIsPlannedOnlyWhenNoInt32CanWrap()
    {
        long bound = 9L * 32 * 127 * 255;
        Int8LayerParameters Layer(int bias, int shift) =>
            new(0, new sbyte[9 * 32 * 2], [0, bias], [0.01f, 0.01f], [1 << 30, int.MaxValue], [0, shift], 0.05f, 0);
        Assert.True(KernelSelector.PoolFusionIsExact(3, 32, Layer((int)(int.MaxValue - bound), -5)));
        Assert.False(KernelSelector.PoolFusionIsExact(3, 32, Layer((int)(int.MaxValue - bound + 1), -5)));
        Assert.False(KernelSelector.PoolFusionIsExact(3, 32, Layer((int)(bound - int.MaxValue - 1), -5)));
        Assert.False(KernelSelector.PoolFusionIsExact(3, 32, Layer(0, 1)));
    }

    [Fact]
    public void VectorRequantizeMatchesScalarIncludingInt32MinCorner()
    {
        if (!Int8Model.IsSupported(KernelPath.Vector128))
        {
            return; // nothing to compare on this CPU (the CI machines are x64 with AVX2)
        }
        var random = new Random(3);
        int[] special = [int.MinValue, int.MinValue + 1, -1, 0, 1, int.MaxValue, 1 << 30, -(1 << 30)];
        for (int i = 0; i < 40000; i++)
        {
            var acc = new int[4];
            var m = new int[4];
            var s = new int[4];
            for (int l = 0; l < 4; l++)
            {
                acc[l] = random.Next(3) == 0 ? special[random.Next(special.Length)] : random.Next(int.MinValue, int.MaxValue);
                m[l] = random.Next(4) == 0 ? special[random.Next(special.Length)] : random.Next(1 << 30, int.MaxValue);
                s[l] = random.Next(-31, 31);
            }
            if (i % 97 == 0)
            {
                acc[i % 4] = int.MinValue; // SRDHM's one overflow: x = M = INT32_MIN with no shift
                m[i % 4] = int.MinValue;
                s[i % 4] = 0;
            }
            var left = new int[4];
            var right = new int[4];
            for (int l = 0; l < 4; l++)
            {
                left[l] = 1 << Math.Max(s[l], 0);
                right[l] = Math.Max(-s[l], 0);
            }
            Vector128<int> r = Int8Simd.Requantize(Vector128.Create(acc), Vector128.Create(left), Vector128.Create(m), Vector128.Create(right));
            for (int l = 0; l < 4; l++)
            {
                Assert.Equal(FixedPoint.MultiplyByQuantizedMultiplier(acc[l], m[l], s[l]), r.GetElement(l));
            }
        }
    }

    [Fact]
    public void ReferenceConvMatchesNaiveFormula()
    {
        // An independent per-output formula with the zero point subtracted from explicitly zp-padded input.
        var random = new Random(4);
        var inShape = new TensorShape(5, 6, 3);
        var outShape = new TensorShape(5, 6, 4);
        var input = new sbyte[inShape.Size];
        var weights = new sbyte[3 * 3 * 3 * 4];
        random.NextBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(input.AsSpan()));
        for (int i = 0; i < weights.Length; i++)
        {
            weights[i] = (sbyte)random.Next(-127, 128);
        }
        int[] bias = [100, -5000, 0, 77777];
        int[] mult = [1 << 30, 1518500250, int.MaxValue, 1234567890];
        int[] shift = [-8, -10, -7, -12];
        var p = new RequantizeParams(-3, 5, 5, 127);
        var output = new sbyte[outShape.Size];
        Int8ReferenceKernels.Conv2D(p, input, inShape, weights, bias, mult, shift, 3, 1, output, outShape);
        for (int y = 0; y < 5; y++)
        {
            for (int x = 0; x < 6; x++)
            {
                for (int co = 0; co < 4; co++)
                {
                    long acc = bias[co];
                    for (int ky = 0; ky < 3; ky++)
                    {
                        for (int kx = 0; kx < 3; kx++)
                        {
                            for (int ci = 0; ci < 3; ci++)
                            {
                                int iy = y + ky - 1, ix = x + kx - 1;
                                int v = iy < 0 || iy >= 5 || ix < 0 || ix >= 6 ? p.InputZeroPoint : input[((iy * 6) + ix) * 3 + ci];
                                acc += weights[((((ky * 3) + kx) * 3) + ci) * 4 + co] * (v - p.InputZeroPoint);
                            }
                        }
                    }
                    // Double rounding written out with exact arithmetic.
                    double exact = acc * (double)mult[co] / 2147483648.0;
                    long srdhm = (long)Math.Floor(exact + 0.5);
                    long den = 1L << -shift[co];
                    long q = (long)(Math.Sign(srdhm) * Math.Floor((Math.Abs(srdhm) + (den / 2.0)) / den));
                    long expected = Math.Clamp(q + 5, 5, 127);
                    Assert.Equal(expected, output[((y * 6) + x) * 4 + co]);
                }
            }
        }
    }

    [Fact]
    public void AveragePoolRoundsHalfAwayFromZero()
    {
        sbyte[] input = [1, -1, 2, -2, 1, -1, 2, -3]; // 2x2 pixels x 2 channels: sums 6 and -7 over 4 -> 1.5 -> 2, -1.75 -> -2
        var output = new sbyte[2];
        Int8ReferenceKernels.GlobalAveragePool(input, new TensorShape(2, 2, 2), output);
        Assert.Equal([2, -2], output);
        sbyte[] ties = [-2, -4, -2, -4, 0, 0, 0, -4]; // sums -4 -> -1, -12 -> -3; and -2/4 = -0.5 -> -1
        Int8ReferenceKernels.GlobalAveragePool(ties, new TensorShape(2, 2, 2), output);
        Assert.Equal([-1, -3], output);
        Assert.Equal(-1, Int8ReferenceKernels.RoundedMean(-2, 4));
        Assert.Equal(1, Int8ReferenceKernels.RoundedMean(2, 4));
        Assert.Equal(0, Int8ReferenceKernels.RoundedMean(1, 4));
    }
}
