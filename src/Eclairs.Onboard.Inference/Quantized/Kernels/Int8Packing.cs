using System;

namespace Eclairs.Onboard.Inference.Quantized;

/// <summary>
/// Load-time layouts for the SIMD int8 kernels (the reference kernels read the file's layout). Weights are kept int8
/// (no growth): for each kernel tap and pair of input channels, output channels in blocks, each holding the two
/// channels' weights side by side, so one 8-byte load sign-extended to int16 is four (w[ci], w[ci+1]) pairs for
/// PMADDWD. Per-channel requantization constants are padded to the block with zeros.
/// </summary>
internal static class Int8Packing
{
    public static int Pairs(int cin) => (cin + 1) / 2;

    /// <summary>Output channels per SIMD block: two accumulator vectors of int32 lanes.</summary>
    public static int ChannelBlock(KernelLanes lanes) => lanes switch
    {
        KernelLanes.Vector512 => 32,
        KernelLanes.Vector256 => 16,
        _ => 8,
    };

    public static int PadChannels(int cout, int block) => (cout + block - 1) / block * block;

    /// <summary>HWIO [taps][cin][cout] to [taps][cin/2][coutPad][2]; missing channels are 0.</summary>
    public static sbyte[] PackPairs(ReadOnlySpan<sbyte> weights, int taps, int cin, int cout, int coutPad)
    {
        int pairs = Pairs(cin);
        var packed = new sbyte[taps * pairs * coutPad * 2];
        for (int t = 0; t < taps; t++)
        {
            for (int ci = 0; ci < cin; ci++)
            {
                for (int co = 0; co < cout; co++)
                {
                    packed[((((t * pairs) + (ci / 2)) * coutPad) + co) * 2 + (ci & 1)] = weights[(((t * cin) + ci) * cout) + co];
                }
            }
        }
        return packed;
    }

    /// <summary>
    /// Dense [cin][cout] to [coutPad / block][cin/2][block][2]: each block of output channels reads its weights as
    /// one sequential stream (the deck's 1.6 MB Dense layer comes from L3, where a strided walk prefetches worse).
    /// </summary>
    public static sbyte[] PackDenseBlocks(ReadOnlySpan<sbyte> weights, int cin, int cout, int coutPad, int block)
    {
        int pairs = Pairs(cin);
        var packed = new sbyte[pairs * coutPad * 2];
        for (int ci = 0; ci < cin; ci++)
        {
            for (int co = 0; co < cout; co++)
            {
                int b = co / block, lane = co % block;
                packed[(((((b * pairs) + (ci / 2)) * block) + lane) * 2) + (ci & 1)] = weights[(ci * cout) + co];
            }
        }
        return packed;
    }

    /// <summary>Per-channel values padded with zeros to the block.</summary>
    public static int[] Pad(ReadOnlySpan<int> values, int length)
    {
        var padded = new int[length];
        values.CopyTo(padded);
        return padded;
    }
}
