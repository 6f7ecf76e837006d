using System;
using Eclairs.Onboard.Inference.Quantized;

namespace Eclairs.CodeGen;

/// <summary>The parameters the fast kernels read, computed from the file's at generation (docs/leon3.md).</summary>
public static class CWeightTransforms
{
    /// <summary>G' = 2G of Lavin's F(2x2, 3x3): U' = G' g G'^T = 4 G g G^T is an integer (the engine's scaling).</summary>
    private static readonly int[,] GPrime = { { 2, 0, 0 }, { 1, 1, 1 }, { 1, -1, 1 }, { 0, 0, 2 } };

    /// <summary>G'' of F(4x4, 3x3): the rows of Lavin's G scaled by (4, 6, 6, 24, 24, 1), integers (the engine's scaling).</summary>
    private static readonly int[,] GSecond = { { 1, 0, 0 }, { -1, -1, -1 }, { -1, 1, -1 }, { 1, 2, 4 }, { 1, -2, 4 }, { 0, 0, 1 } };

    /// <summary>
    /// U = G g G^T with the integer G of an F(tile x tile, 3x3) kernel (<see cref="GPrime"/> for 2, <see cref="GSecond"/>
    /// for 4) of a 3x3 convolution's HWIO weights, laid out [positions][cout / 8][cin][8] (positions (tile + 2) * row +
    /// column; output channels padded with zeros to a multiple of 8). |U| &lt;= 9 * 127 (F(2x2)), 49 * 127 (F(4x4)).
    /// </summary>
    public static short[] Winograd(ReadOnlySpan<sbyte> weights, int cin, int cout, int tile)
    {
        int[,] g = tile switch
        {
            2 => GPrime,
            4 => GSecond,
            _ => throw new ArgumentOutOfRangeException(nameof(tile), tile, "F(2x2) or F(4x4)"),
        };
        int n = tile + 2;
        if (weights.Length != 9 * cin * cout)
        {
            throw new ArgumentException($"{weights.Length} weights are not 3 x 3 x {cin} x {cout}", nameof(weights));
        }
        int blocks = (cout + CKernels.WinogradChannels - 1) / CKernels.WinogradChannels;
        var u = new short[n * n * blocks * cin * CKernels.WinogradChannels];
        for (int co = 0; co < cout; co++)
        {
            for (int ci = 0; ci < cin; ci++)
            {
                for (int i = 0; i < n; i++)
                {
                    for (int j = 0; j < n; j++)
                    {
                        int sum = 0;
                        for (int a = 0; a < 3; a++)
                        {
                            for (int b = 0; b < 3; b++)
                            {
                                sum += g[i, a] * weights[((((a * 3) + b) * cin) + ci) * cout + co] * g[j, b];
                            }
                        }
                        int position = (n * i) + j;
                        int block = co / CKernels.WinogradChannels;
                        u[(((((position * blocks) + block) * cin) + ci) * CKernels.WinogradChannels) + (co % CKernels.WinogradChannels)] = checked((short)sum);
                    }
                }
            }
        }
        return u;
    }

    /// <summary>
    /// bias - zp_in * (sum of the channel's weights), modulo 2^32 as the reference's int32 sums: the fast kernels sum
    /// w * x over the raw codes (pixels outside the input set to zp_in), and bias' + sum(w x) = bias + sum(w (x - zp_in)).
    /// </summary>
    /// <param name="weights">HWIO or [inputs][units] weights: the output channel is the fastest index.</param>
    public static int[] FoldedBias(ReadOnlySpan<sbyte> weights, ReadOnlySpan<int> bias, int inputZeroPoint)
    {
        int cout = bias.Length;
        var sums = new long[cout];
        for (int i = 0; i < weights.Length; i++)
        {
            sums[i % cout] += weights[i];
        }
        var folded = new int[cout];
        for (int c = 0; c < cout; c++)
        {
            folded[c] = unchecked((int)(bias[c] - (inputZeroPoint * sums[c])));
        }
        return folded;
    }

    /// <summary>
    /// Dense [inputs][units] weights packed for ecl_i8_dense_pairs: per pass of 8 output channels and per input, four
    /// int32 words w[2p] + w[2p + 1] * 2^24 (units padded with zero weights to a multiple of 8).
    /// </summary>
    public static int[] DensePairs(ReadOnlySpan<sbyte> weights, int inputs, int units)
    {
        if (weights.Length != inputs * units)
        {
            throw new ArgumentException($"{weights.Length} weights are not {inputs} x {units}", nameof(weights));
        }
        const int pairs = CKernels.DensePassChannels / 2;
        int passes = (units + CKernels.DensePassChannels - 1) / CKernels.DensePassChannels;
        var packed = new int[passes * inputs * pairs];
        for (int pass = 0; pass < passes; pass++)
        {
            for (int i = 0; i < inputs; i++)
            {
                for (int p = 0; p < pairs; p++)
                {
                    int o = (pass * CKernels.DensePassChannels) + (2 * p);
                    int w0 = o < units ? weights[(i * units) + o] : 0;
                    int w1 = o + 1 < units ? weights[(i * units) + o + 1] : 0;
                    packed[(((pass * inputs) + i) * pairs) + p] = w0 + (w1 * (1 << 24));
                }
            }
        }
        return packed;
    }

    /// <summary>The folded bias of a step's parameters (see <see cref="FoldedBias"/>).</summary>
    public static int[] FoldedBias(CStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        Int8LayerParameters p = step.Parameters ?? throw new ArgumentException("the step has no parameters", nameof(step));
        return FoldedBias(p.Weights, p.Bias, step.InputZeroPoint);
    }
}
