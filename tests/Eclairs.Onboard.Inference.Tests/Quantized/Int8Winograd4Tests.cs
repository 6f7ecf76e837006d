using System;
using System.Runtime.Intrinsics;
using System.Linq;
using Eclairs.Onboard.Inference.Quantized;
using Xunit;

namespace Eclairs.Onboard.Inference.Tests.Quantized;

/// <summary>
/// Integer Winograd F(4x4, 3x3): the transforms against exact integer/rational arithmetic written here from Lavin's
/// matrices, the wrapping int32 scheme against the direct sum at the bound, and the kernel on every vector path against
/// the scalar reference convolution (and reference max pooling), bit for bit.
/// </summary>
public sealed unsafe class Int8Winograd4Tests
{
    // Lavin's F(4x4, 3x3), written out independently of the kernel.
    private static readonly int[,] Bt =
    {
        { 4, 0, -5, 0, 1, 0 }, { 0, -4, -4, 1, 1, 0 }, { 0, 4, -4, -1, 1, 0 },
        { 0, -2, -1, 2, 1, 0 }, { 0, 2, -1, -2, 1, 0 }, { 0, 4, 0, -5, 0, 1 },
    };

    /// <summary>24·G (G = [1/4 0 0; −1/6 −1/6 −1/6; −1/6 1/6 −1/6; 1/24 1/12 1/6; 1/24 −1/12 1/6; 0 0 1]).</summary>
    private static readonly int[,] G24 =
    {
        { 6, 0, 0 }, { -4, -4, -4 }, { -4, 4, -4 }, { 1, 2, 4 }, { 1, -2, 4 }, { 0, 0, 24 },
    };

    private static readonly int[,] At =
    {
        { 1, 1, 1, 1, 1, 0 }, { 0, 1, -1, 2, -2, 0 }, { 0, 1, 1, 4, 4, 0 }, { 0, 1, -1, 8, -8, 1 },
    };

    private static readonly int[] RowScale = [4, 6, 6, 24, 24, 1];

    /// <summary>The common power of two of each row of A' = Aᵀ diag(24 / s), which the kernel divides out.</summary>
    private static readonly int[] OutputRowDivisor = [1, 2, 4, 4];

    [Fact]
    public void WeightTransformIsGScaledRowByRowToIntegers()
    {
        ReadOnlySpan<int> g2 = Int8Winograd4.WeightTransform;
        for (int a = 0; a < 6; a++)
        {
            for (int j = 0; j < 3; j++)
            {
                // G''[a][j] = s_a · G[a][j] = s_a · G24[a][j] / 24, exactly
                Assert.Equal(RowScale[a] * G24[a, j], 24 * g2[(a * 3) + j]);
            }
        }
    }

    [Fact]
    public void ScaledTransformsReproduceTheConvolutionExactly()
    {
        var random = new Random(11);
        for (int trial = 0; trial < 2000; trial++)
        {
            int[,] d = RandomMatrix(random, 6, 6, 255, trial % 3 == 0);
            int[,] g = RandomMatrix(random, 3, 3, 127, trial % 3 == 1);
            long[,] v = Mul(Mul(Bt, d), Transpose(Bt));
            // 576·(G g Gᵀ) = G24 g G24ᵀ, so 576·Y = Aᵀ [(G24 g G24ᵀ) ⊙ V] A in exact integers.
            long[,] u576 = Mul(Mul(G24, g), Transpose(G24));
            long[,] u2 = Mul(Mul(FromSpan(Int8Winograd4.WeightTransform, 6, 3), g), Transpose(FromSpan(Int8Winograd4.WeightTransform, 6, 3)));
            long[,] product576 = new long[6, 6], product2 = new long[6, 6];
            for (int a = 0; a < 6; a++)
            {
                for (int b = 0; b < 6; b++)
                {
                    int ta = 24 / RowScale[a], tb = 24 / RowScale[b];
                    Assert.Equal(u576[a, b], ta * u2[a, b] * tb); // 576·G g Gᵀ = diag(t) U'' diag(t)
                    Assert.InRange(Math.Abs(v[a, b]), 0, 25500);
                    Assert.InRange(Math.Abs(u2[a, b]), 0, 6223);
                    product576[a, b] = u576[a, b] * v[a, b];
                    product2[a, b] = u2[a, b] * v[a, b];
                }
            }
            long[,] r = Mul(Mul(At, product576), Transpose(At));
            long[,] aPrime = new long[4, 6];
            for (int p = 0; p < 4; p++)
            {
                for (int a = 0; a < 6; a++)
                {
                    aPrime[p, a] = At[p, a] * (24 / RowScale[a]);
                }
            }
            long[,] r2 = Mul(Mul(aPrime, product2), Transpose(aPrime));
            for (int p = 0; p < 4; p++)
            {
                for (int q = 0; q < 4; q++)
                {
                    long y = 0;
                    for (int i = 0; i < 3; i++)
                    {
                        for (int j = 0; j < 3; j++)
                        {
                            y += (long)d[p + i, q + j] * g[i, j];
                        }
                    }
                    Assert.Equal(576 * y, r[p, q]);
                    Assert.Equal(576 * y, r2[p, q]);
                }
            }
        }
    }

    [Fact]
    public void BoundsAndTheModularRecoveryHold()
    {
        Assert.Equal(1u, unchecked(9u * (uint)Int8Winograd4.Inverse9));
        int maxAbsRow = Enumerable.Range(0, 6).Max(a => Enumerable.Range(0, 6).Sum(j => Math.Abs(Bt[a, j])));
        Assert.Equal(10, maxAbsRow);
        Assert.True(2L * 25500 * 6223 < int.MaxValue); // one PMADDWD term
        Assert.Equal(115, Int8Winograd4.MaxInputChannels);
        Assert.True(9L * Int8Winograd4.MaxInputChannels * 127 * 255 <= Int8Winograd4.MaxSum);
        Assert.True(9L * (Int8Winograd4.MaxInputChannels + 1) * 127 * 255 > Int8Winograd4.MaxSum);
        var random = new Random(5);
        long[] ys = [0, 1, -1, Int8Winograd4.MaxSum, -Int8Winograd4.MaxSum, -(1L << 25), 9L * 112 * 127 * 255, -9L * 112 * 127 * 255];
        foreach (long y in ys.Concat(Enumerable.Range(0, 100000).Select(_ => random.NextInt64(-(1L << 25), 1L << 25))))
        {
            long wraps = random.NextInt64(-1000, 1000); // any multiple of 2^32 the int32 sums may have lost
            int r = unchecked((int)((576 * y) + (wraps << 32)));
            Assert.Equal(y, unchecked(r * Int8Winograd4.Inverse9) >> 6);
        }
    }

    [Fact]
    public void TransformWeightsRejectsMismatchedSizes()
    {
        Assert.Throws<ArgumentException>(() => Int8Winograd4.TransformWeights(new sbyte[9 * 8 * 4 - 1], 8, 4, 8));
        Assert.Throws<ArgumentException>(() => Int8Winograd4.TransformWeights(new sbyte[9 * 8 * 4], 8, 4, 2));
    }

    /// <summary>
    /// The whole integer scheme in scalar int16/int32 wrapping arithmetic, with U'' read back from the kernel's packed
    /// layout, against the direct sum: the cin = 112 worst cases (all +255 times all ±127) and random extremes.
    /// </summary>
    [Theory]
    [InlineData(8)]
    [InlineData(40)]
    [InlineData(112)]
    public void WrappingIntegerSchemeRecoversTheDirectSum(int cin)
    {
        var random = new Random(cin);
        const int Cout = 3;
        for (int trial = 0; trial < 12; trial++)
        {
            var d = new int[6, 6, cin];
            var w = new sbyte[9 * cin * Cout];
            for (int i = 0; i < w.Length; i++)
            {
                w[i] = (sbyte)(trial switch { 0 => 127, 1 => -127, 2 => (i % 2 == 0 ? 127 : -127), _ => Extreme(random, 127) });
            }
            for (int y = 0; y < 6; y++)
            {
                for (int x = 0; x < 6; x++)
                {
                    for (int c = 0; c < cin; c++)
                    {
                        d[y, x, c] = trial switch { 0 or 1 => 255, 2 => ((x + y) % 2 == 0 ? 255 : -255), _ => Extreme(random, 255) };
                    }
                }
            }
            short[] u = Int8Winograd4.TransformWeights(w, cin, Cout, Cout);
            int pairs = (cin + 1) / 2;
            for (int co = 0; co < Cout; co++)
            {
                var m = new int[6, 6];
                for (int c = 0; c < cin; c++)
                {
                    var patch = new int[6, 6];
                    for (int y = 0; y < 6; y++)
                    {
                        for (int x = 0; x < 6; x++)
                        {
                            patch[y, x] = d[y, x, c];
                        }
                    }
                    long[,] v = Mul(Mul(Bt, patch), Transpose(Bt));
                    for (int a = 0; a < 6; a++)
                    {
                        for (int b = 0; b < 6; b++)
                        {
                            short vs = checked((short)v[a, b]);
                            short us = u[((((((a * 6) + b) * pairs) + (c / 2)) * Cout) + co) * 2 + (c & 1)];
                            m[a, b] = unchecked(m[a, b] + (vs * us));
                        }
                    }
                }
                for (int p = 0; p < 4; p++)
                {
                    for (int q = 0; q < 4; q++)
                    {
                        int r = 0, reduced = 0;
                        for (int a = 0; a < 6; a++)
                        {
                            for (int b = 0; b < 6; b++)
                            {
                                int coefficient = At[p, a] * (24 / RowScale[a]) * At[q, b] * (24 / RowScale[b]);
                                r = unchecked(r + (coefficient * m[a, b]));
                                // The kernel's A' has its rows divided by their common powers of two.
                                int divided = (At[p, a] * (24 / RowScale[a]) / OutputRowDivisor[p]) * (At[q, b] * (24 / RowScale[b]) / OutputRowDivisor[q]);
                                reduced = unchecked(reduced + (divided * m[a, b]));
                            }
                        }
                        long direct = 0;
                        for (int i = 0; i < 3; i++)
                        {
                            for (int j = 0; j < 3; j++)
                            {
                                for (int c = 0; c < cin; c++)
                                {
                                    direct += d[p + i, q + j, c] * w[((((i * 3) + j) * cin) + c) * Cout + co];
                                }
                            }
                        }
                        Assert.Equal(direct, unchecked(r * Int8Winograd4.Inverse9) >> 6);
                        int shift = 6 - int.Log2(OutputRowDivisor[p] * OutputRowDivisor[q]);
                        Assert.Equal(direct, unchecked(reduced * Int8Winograd4.Inverse9) >> shift);
                        if (trial < 2 && cin == 112 && p == 1 && q == 1)
                        {
                            Assert.Equal((trial == 0 ? 1 : -1) * 9L * cin * 127 * 255, direct); // the bound is reached
                        }
                    }
                }
            }
        }
    }

    [Fact]
    public void PlanPrefersF4ThenF2ThenDirectAndVerifyCoversTheF4Weights()
    {
        foreach (KernelPath path in new[] { KernelPath.Vector128, KernelPath.Vector256, KernelPath.Vector512 }.Where(Int8Model.IsSupported))
        {
            Int8Model deck = Int8Model.FromDocument(Int8TestModels.ExtremeRandom(Architectures.CnnV1(), 1), path);
            KernelAlgorithm[] Convolutions(Int8Model m) => [.. m.StepsCopy().Where(s => s.Kind == Int8StepKind.Conv2D).Select(s => s.Algorithm)];
            // cin 2 stays direct (these models shift left, so no pool is fused and the one-pair kernel does not apply)
            Assert.Equal([KernelAlgorithm.DirectConv2D, KernelAlgorithm.WinogradF4], Convolutions(deck));
            Int8Model compact = Int8Model.FromDocument(Int8TestModels.ExtremeRandom(Architectures.CompactV1(), 1), path);
            // 56x56 cin 2 direct, 28x28 F(4x4), 14x14 and 7x7 F(4x4) with edge tiles (196 of 256 and 49 of 64 outputs used)
            Assert.Equal([KernelAlgorithm.DirectConv2D, KernelAlgorithm.WinogradF4, KernelAlgorithm.WinogradF4, KernelAlgorithm.WinogradF4], Convolutions(compact));
            Int8Model compactF2 = Int8Model.FromDocument(Int8TestModels.ExtremeRandom(Architectures.CompactV1(), 1), new ModelOptions { KernelPath = path, MaxWinogradTile = 2 });
            // F(2x2) at most: 28x28, 14x14 (pooled) and 7x7 (edge tiles, 49 of 64)
            Assert.Equal([KernelAlgorithm.DirectConv2D, KernelAlgorithm.WinogradF2, KernelAlgorithm.WinogradF2, KernelAlgorithm.WinogradF2], Convolutions(compactF2));
            Int8Step conv2 = deck.StepsCopy().Single(s => s.Algorithm == KernelAlgorithm.WinogradF4);
            Assert.Equal(-1, conv2.Packed);
            Assert.Equal(0, conv2.Transformed % ModelArena.Alignment);
            Span<byte> arena = deck.Arena.Bytes;
            int flipped = conv2.Transformed + (2 * 12345) + 1;
            Assert.True(deck.Verify());
            arena[flipped] ^= 0x01;
            Assert.False(deck.Verify());
            arena[flipped] ^= 0x01;
            Assert.True(deck.Verify());
        }
    }

    public static TheoryData<int, int, int, int, bool> KernelCases() => new()
    {
        // size (square), cin, cout, input zero point, pool
        { 8, 8, 13, -128, false },
        { 8, 8, 13, 127, true },
        { 12, 16, 24, 127, false },
        { 12, 16, 24, -128, true },
        { 12, 112, 40, -128, false },
        { 8, 112, 40, 127, true },
        { 28, 32, 64, -128, false },
        { 28, 32, 64, 127, true },
        { 20, 24, 40, 3, true },
    };

    [Theory]
    [MemberData(nameof(KernelCases))]
    public void KernelMatchesReferenceConvolutionOnEveryPath(int size, int cin, int cout, int inputZeroPoint, bool pool)
    {
        KernelPath[] paths = [.. new[] { KernelPath.Vector128, KernelPath.Vector256, KernelPath.Vector512 }.Where(Int8Model.IsSupported)];
        var random = new Random((size * 1000) + (cin * 10) + cout);
        var inShape = new TensorShape(size, size, cin);
        var outShape = new TensorShape(size, size, cout);
        var pooledShape = new TensorShape(size / 2, size / 2, cout);
        Assert.True(KernelSelector.Applies(KernelAlgorithm.WinogradF4, NumberFormat.Int8, 3, 1, inShape, outShape));
        for (int trial = 0; trial < 2; trial++)
        {
            var input = new sbyte[inShape.Size];
            for (int i = 0; i < input.Length; i++)
            {
                int r = random.Next(4);
                input[i] = (sbyte)(r == 0 ? -128 : r == 1 ? 127 : random.Next(-128, 128));
            }
            var weights = new sbyte[9 * cin * cout];
            for (int i = 0; i < weights.Length; i++)
            {
                weights[i] = (sbyte)(trial == 1 && i % 7 == 0 ? (inputZeroPoint < 0 ? 127 : -127) : Extreme(random, 127));
            }
            var bias = new int[cout];
            var multiplier = new int[cout];
            var shift = new int[cout];
            for (int c = 0; c < cout; c++)
            {
                bias[c] = random.Next(-(1 << 24), 1 << 24);
                multiplier[c] = random.Next(20) == 0 ? 0 : random.Next(1 << 30, int.MaxValue);
                int s = random.Next(12);
                // Pooling after requantization equals requantizing the maximum only where MBQM is monotone: a left shift
                // must not wrap (|bias + Y| < 2^26, so up to 4); without pooling also the wrapping shift 30.
                shift[c] = s == 0 ? -31 : s == 1 ? (pool ? 4 : 30) : s == 2 ? random.Next(0, 4) : random.Next(-22, -8);
            }
            int outputZeroPoint = random.Next(-128, 128);
            bool relu = trial == 0;
            var p = new RequantizeParams(inputZeroPoint, outputZeroPoint, relu ? outputZeroPoint : sbyte.MinValue, sbyte.MaxValue);
            var direct = new sbyte[outShape.Size];
            Int8ReferenceKernels.Conv2D(p, input, inShape, weights, bias, multiplier, shift, 3, 1, direct, outShape);
            sbyte[] expected = direct;
            if (pool)
            {
                expected = new sbyte[pooledShape.Size];
                Int8ReferenceKernels.MaxPool2D(direct, outShape, expected, pooledShape);
            }
            foreach (KernelPath path in paths)
            {
                sbyte[] actual = RunKernel(path, input, inShape, outShape, weights, bias, multiplier, shift, p, pool, expected.Length);
                int first = Enumerable.Range(0, expected.Length).FirstOrDefault(i => expected[i] != actual[i], -1);
                Assert.True(first < 0, $"{path} {size}x{size} cin {cin} cout {cout} pool {pool} trial {trial}: first difference at {first}");
            }
        }
    }

    /// <summary>One layer through <see cref="Int8Winograd4.Conv2D{TOps, TVec}"/> as the planner packs it, checking the bytes after the output stay untouched.</summary>
    private static sbyte[] RunKernel(KernelPath path, sbyte[] input, TensorShape inShape, TensorShape outShape, sbyte[] weights,
        int[] bias, int[] multiplier, int[] shift, RequantizeParams p, bool pool, int outputLength)
    {
        int cin = inShape.Channels, cout = outShape.Channels;
        var builder = new ArenaBuilder();
        var layer = new Int8LayerParameters(0, weights, bias, new float[cout], multiplier, shift, 1f, p.OutputZeroPoint);
        var step = new Int8Step
        {
            Kind = Int8StepKind.Conv2D, Lanes = KernelSelector.Lanes(path, NumberFormat.Int8), In = inShape, Out = outShape, KernelSize = 3, Pad = 1,
            InputZeroPoint = p.InputZeroPoint, PoolDestination = -1, Region = -1, Workspace = -1,
            Weights = -1, Packed = -1, Transformed = -1, DotPacked = -1, DotBias = -1,
        };
        step = Int8Planner.Parameterized(builder, step, KernelAlgorithm.WinogradF4, layer, p.ActivationMin == p.OutputZeroPoint ? Activation.Relu : Activation.None);
        Assert.Equal(p.ActivationMin, step.ActivationMin);
        ModelArena arena = builder.Build(new Int8PlanHeader(), new[] { step });
        int pairs = step.Pairs;
        var region = new short[(inShape.Height + 2) * (inShape.Width + 2) * 2 * pairs];
        var work = new int[Int8Winograd4.WorkspaceInts(pairs, step.CoutPad)];
        const int Guard = 64;
        var output = new sbyte[outputLength + Guard];
        output.AsSpan().Fill(0x5A);
        fixed (sbyte* src = input, dst = output)
        fixed (short* r = region)
        fixed (int* wk = work)
        {
            Int8Simd.Widen(src, inShape, p.InputZeroPoint, 1, r);
            switch (step.Lanes)
            {
                case KernelLanes.Vector512:
                    Int8Winograd4.Conv2D<Lanes512, Vector512<int>>(step, arena.Start, r, wk, dst, pool);
                    break;
                case KernelLanes.Vector256:
                    Int8Winograd4.Conv2D<Lanes256, Vector256<int>>(step, arena.Start, r, wk, dst, pool);
                    break;
                default:
                    Int8Winograd4.Conv2D<Lanes128, Vector128<int>>(step, arena.Start, r, wk, dst, pool);
                    break;
            }
        }
        GC.KeepAlive(arena);
        Assert.All(output.AsSpan(outputLength).ToArray(), b => Assert.Equal(0x5A, b));
        return output[..outputLength];
    }

    private static int Extreme(Random random, int max)
    {
        int r = random.Next(6);
        return r == 0 ? max : r == 1 ? -max : random.Next(-max, max + 1);
    }

    private static int[,] RandomMatrix(Random random, int rows, int columns, int max, bool extremesOnly)
    {
        var m = new int[rows, columns];
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < columns; j++)
            {
                m[i, j] = extremesOnly ? (random.Next(2) == 0 ? max : -max) : Extreme(random, max);
            }
        }
        return m;
    }

    private static int[,] FromSpan(ReadOnlySpan<int> values, int rows, int columns)
    {
        var m = new int[rows, columns];
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < columns; j++)
            {
                m[i, j] = values[(i * columns) + j];
            }
        }
        return m;
    }

    private static long[,] Mul(int[,] a, int[,] b) => Mul(ToLong(a), ToLong(b));

    private static long[,] Mul(long[,] a, int[,] b) => Mul(a, ToLong(b));

    private static long[,] Mul(int[,] a, long[,] b) => Mul(ToLong(a), b);

    private static long[,] Mul(long[,] a, long[,] b)
    {
        int n = a.GetLength(0), k = a.GetLength(1), m = b.GetLength(1);
        Assert.Equal(k, b.GetLength(0));
        var c = new long[n, m];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < m; j++)
            {
                long s = 0;
                for (int t = 0; t < k; t++)
                {
                    s += a[i, t] * b[t, j];
                }
                c[i, j] = s;
            }
        }
        return c;
    }

    private static long[,] ToLong(int[,] a)
    {
        var c = new long[a.GetLength(0), a.GetLength(1)];
        for (int i = 0; i < a.GetLength(0); i++)
        {
            for (int j = 0; j < a.GetLength(1); j++)
            {
                c[i, j] = a[i, j];
            }
        }
        return c;
    }

    private static int[,] Transpose(int[,] a)
    {
        var t = new int[a.GetLength(1), a.GetLength(0)];
        for (int i = 0; i < a.GetLength(0); i++)
        {
            for (int j = 0; j < a.GetLength(1); j++)
            {
                t[j, i] = a[i, j];
            }
        }
        return t;
    }

    private static long[,] Transpose(long[,] a)
    {
        var t = new long[a.GetLength(1), a.GetLength(0)];
        for (int i = 0; i < a.GetLength(0); i++)
        {
            for (int j = 0; j < a.GetLength(1); j++)
            {
                t[j, i] = a[i, j];
            }
        }
        return t;
    }
}
