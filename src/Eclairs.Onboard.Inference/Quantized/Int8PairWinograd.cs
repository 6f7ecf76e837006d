using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Eclairs.Onboard.Inference.Quantized;

/// <summary>
/// Integer Winograd F(2x2, 3x3) for a 3x3 'same' convolution of at most two input channels (one int16 pair per pixel:
/// the deck's first layer, SNR and mask) fused with the 2x2 max pool after it. The general kernel
/// (<see cref="Int8Winograd"/>) sums products over channel pairs through memory; with a single pair each product
/// M[ξ] = PMADDWD(V[ξ], U'[ξ]) is already complete, so a tile's 16 products stay in registers and go straight into
/// the output transform: 16 PMADDWD per 2x2 outputs and 16 channels instead of the direct kernel's 36 (and no
/// accumulating adds). Same exact arithmetic as <see cref="Int8Winograd"/>: V = Bᵀ d B in int16 (|V| &lt;= 1020),
/// U' = 4·G g Gᵀ in int16, Aᵀ M A = 4·Y exactly in int32; the window's largest 4·Y, shifted by 2, is requantized
/// (exact: <see cref="Int8Model.PoolFusionIsExact"/>).
/// </summary>
internal static unsafe class Int8PairWinograd
{
    /// <summary>3x3, 'same' (pad 1), one channel pair, and a fused pool (tiles are the pooling windows; an odd last row or column is dropped by the pool).</summary>
    public static bool Applies(int kernel, int pad, int pairs) => kernel == 3 && pad == 1 && pairs == 1;

    /// <summary>The fused convolution and pool over a widened region (<see cref="Int8Simd.Widen"/>, pad 1): pooled NHWC int8 output.</summary>
    public static void Conv2DPooled<TOps, TVec>(Int8LayerPlan l, short* region, sbyte* output)
        where TOps : struct, IInt8Lanes<TVec>
        where TVec : struct
    {
        int cout = l.Out.Channels, coutPad = l.CoutPad, block = 2 * TOps.Lanes;
        int rowInts = l.In.Width + 2;
        int ph = l.FusedPoolOut.Height, pw = l.FusedPoolOut.Width;
        int* v = stackalloc int[16];
        fixed (short* transformed = l.Transformed)
        fixed (int* bias = l.Bias, left = l.LeftMultiplier, mult = l.Multiplier, right = l.RightShift)
        {
            int* u = (int*)PinnedAlignment.Start(transformed); // [16][coutPad] int16 pairs
            var rk = new RequantizeConstants(bias, left, mult, right, l.OutputZeroPoint, l.ActivationMin, l.ActivationMax, l.HasLeftShift);
            for (int ty = 0; ty < ph; ty++)
            {
                for (int tx = 0; tx < pw; tx++)
                {
                    InputTransform((int*)region + ((2L * ty * rowInts) + (2L * tx)), rowInts, v);
                    sbyte* o = output + ((((long)ty * pw) + tx) * cout);
                    for (int cb = 0; cb < coutPad; cb += block)
                    {
                        TVec y0 = PooledSum<TOps, TVec>(v, u + cb, coutPad);
                        TVec y1 = PooledSum<TOps, TVec>(v, u + cb + TOps.Lanes, coutPad);
                        Int8Simd.Store<TOps, TVec>(rk, cb, y0, y1, o, cout);
                    }
                }
            }
        }
    }

    /// <summary>V = Bᵀ d B of the 4x4 patch of int16 pairs at <paramref name="d"/>, written as 16 int32 pairs (row-major ξ).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void InputTransform(int* d, int rowInts, int* v)
    {
        Vector128<short> d0 = Vector128.Load((short*)d), d1 = Vector128.Load((short*)(d + rowInts));
        Vector128<short> d2 = Vector128.Load((short*)(d + (2 * rowInts))), d3 = Vector128.Load((short*)(d + (3 * rowInts)));
        Columns(d0 - d2).Store((short*)v);
        Columns(d1 + d2).Store((short*)(v + 4));
        Columns(d2 - d1).Store((short*)(v + 8));
        Columns(d1 - d3).Store((short*)(v + 12));
    }

    /// <summary>(c0 − c2, c1 + c2, c2 − c1, c1 − c3) of a row of four pairs (the B side of the transform).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<short> Columns(Vector128<short> row)
    {
        Vector128<short> a = Vector128.Shuffle(row.AsInt32(), Vector128.Create(0, 1, 2, 1)).AsInt16();
        Vector128<short> b = Vector128.Shuffle(row.AsInt32(), Vector128.Create(2, 2, 1, 3)).AsInt16();
        return Vector128.ConditionalSelect(Vector128.Create(0, -1, 0, 0).AsInt16(), a + b, a - b);
    }

    /// <summary>
    /// max over the tile's four outputs of Y = (Aᵀ M A) / 4 for one vector of channels, M[ξ] = PMADDWD(V[ξ], U'[ξ]):
    /// rows combined as they are produced (r0 = M0 + M1 + M2, r1 = M1 − M2 − M3), so at most 12 vectors are live.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec PooledSum<TOps, TVec>(int* v, int* u, int coutPad)
        where TOps : struct, IInt8Lanes<TVec>
        where TVec : struct
    {
        TVec m0 = Product<TOps, TVec>(v, u, coutPad, 0), m1 = Product<TOps, TVec>(v, u, coutPad, 1);
        TVec m2 = Product<TOps, TVec>(v, u, coutPad, 2), m3 = Product<TOps, TVec>(v, u, coutPad, 3);
        TVec r00 = m0, r01 = m1, r02 = m2, r03 = m3;
        m0 = Product<TOps, TVec>(v, u, coutPad, 4); m1 = Product<TOps, TVec>(v, u, coutPad, 5);
        m2 = Product<TOps, TVec>(v, u, coutPad, 6); m3 = Product<TOps, TVec>(v, u, coutPad, 7);
        r00 = TOps.Add(r00, m0); r01 = TOps.Add(r01, m1); r02 = TOps.Add(r02, m2); r03 = TOps.Add(r03, m3);
        TVec r10 = m0, r11 = m1, r12 = m2, r13 = m3;
        m0 = Product<TOps, TVec>(v, u, coutPad, 8); m1 = Product<TOps, TVec>(v, u, coutPad, 9);
        m2 = Product<TOps, TVec>(v, u, coutPad, 10); m3 = Product<TOps, TVec>(v, u, coutPad, 11);
        r00 = TOps.Add(r00, m0); r01 = TOps.Add(r01, m1); r02 = TOps.Add(r02, m2); r03 = TOps.Add(r03, m3);
        r10 = TOps.Subtract(r10, m0); r11 = TOps.Subtract(r11, m1); r12 = TOps.Subtract(r12, m2); r13 = TOps.Subtract(r13, m3);
        m0 = Product<TOps, TVec>(v, u, coutPad, 12); m1 = Product<TOps, TVec>(v, u, coutPad, 13);
        m2 = Product<TOps, TVec>(v, u, coutPad, 14); m3 = Product<TOps, TVec>(v, u, coutPad, 15);
        r10 = TOps.Subtract(r10, m0); r11 = TOps.Subtract(r11, m1); r12 = TOps.Subtract(r12, m2); r13 = TOps.Subtract(r13, m3);
        TVec y00 = TOps.Add(TOps.Add(r00, r01), r02), y01 = TOps.Subtract(TOps.Subtract(r01, r02), r03);
        TVec y10 = TOps.Add(TOps.Add(r10, r11), r12), y11 = TOps.Subtract(TOps.Subtract(r11, r12), r13);
        return TOps.DivideByFour(TOps.Max(TOps.Max(y00, y01), TOps.Max(y10, y11)));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec Product<TOps, TVec>(int* v, int* u, int coutPad, int xi)
        where TOps : struct, IInt8Lanes<TVec>
        where TVec : struct => TOps.MultiplyPairs(TOps.Broadcast(v + xi), TOps.Load(u + (xi * coutPad)));
}
