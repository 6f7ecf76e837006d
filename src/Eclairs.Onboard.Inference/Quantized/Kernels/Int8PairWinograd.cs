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
/// (exact: <see cref="KernelSelector.PoolFusionIsExact"/>).
/// </summary>
internal static unsafe class Int8PairWinograd
{
    /// <summary>The fused convolution and pool over a widened region (<see cref="Int8Simd.Widen"/>, pad 1): pooled NHWC int8 output.</summary>
    public static void Conv2DPooled<TOps, TVec>(in Int8Step l, byte* parameters, short* region, sbyte* output)
        where TOps : struct, IInt8Lanes<TVec>
        where TVec : struct
    {
        int cout = l.Out.Channels, coutPad = l.CoutPad, block = 2 * TOps.Lanes;
        int rowInts = l.In.Width + 2;
        int ph = l.PooledOut.Height, pw = l.PooledOut.Width;
        int* v = stackalloc int[16];
        {
            int* u = (int*)(parameters + l.Transformed); // [16][coutPad] int16 pairs
            RequantizeConstants rk = l.Constants(parameters);
            for (int ty = 0; ty < ph; ty++)
            {
                for (int tx = 0; tx < pw; tx++)
                {
                    InputTransform((int*)region + ((2L * ty * rowInts) + (2L * tx)), rowInts, v);
                    sbyte* o = output + ((((long)ty * pw) + tx) * cout);
                    for (int cb = 0; cb < coutPad; cb += block)
                    {
                        TVec y0, y1;
                        if (TOps.Lanes == 16)
                        {
                            (y0, y1) = PooledSums<TOps, TVec>(v, u + cb, coutPad);
                        }
                        else
                        {
                            y0 = PooledSum<TOps, TVec>(v, u + cb, coutPad);
                            y1 = PooledSum<TOps, TVec>(v, u + cb + TOps.Lanes, coutPad);
                        }
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
        return PooledMax<TOps, TVec>(r00, r01, r02, r03, r10, r11, r12, r13);
    }

    /// <summary>
    /// <see cref="PooledSum"/> for two vectors of channels with each V[ξ] broadcast once: 16 accumulators, so only
    /// where there are 32 vector registers (AVX-512).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (TVec First, TVec Second) PooledSums<TOps, TVec>(int* v, int* u, int coutPad)
        where TOps : struct, IInt8Lanes<TVec>
        where TVec : struct
    {
        int* w = u + TOps.Lanes;
        TVec x = TOps.Broadcast(v);
        TVec a00 = TOps.MultiplyPairs(x, TOps.Load(u)), b00 = TOps.MultiplyPairs(x, TOps.Load(w));
        x = TOps.Broadcast(v + 1);
        TVec a01 = TOps.MultiplyPairs(x, TOps.Load(u + coutPad)), b01 = TOps.MultiplyPairs(x, TOps.Load(w + coutPad));
        x = TOps.Broadcast(v + 2);
        TVec a02 = TOps.MultiplyPairs(x, TOps.Load(u + (2 * coutPad))), b02 = TOps.MultiplyPairs(x, TOps.Load(w + (2 * coutPad)));
        x = TOps.Broadcast(v + 3);
        TVec a03 = TOps.MultiplyPairs(x, TOps.Load(u + (3 * coutPad))), b03 = TOps.MultiplyPairs(x, TOps.Load(w + (3 * coutPad)));
        x = TOps.Broadcast(v + 4);
        TVec a10 = TOps.MultiplyPairs(x, TOps.Load(u + (4 * coutPad))), b10 = TOps.MultiplyPairs(x, TOps.Load(w + (4 * coutPad)));
        x = TOps.Broadcast(v + 5);
        TVec a11 = TOps.MultiplyPairs(x, TOps.Load(u + (5 * coutPad))), b11 = TOps.MultiplyPairs(x, TOps.Load(w + (5 * coutPad)));
        x = TOps.Broadcast(v + 6);
        TVec a12 = TOps.MultiplyPairs(x, TOps.Load(u + (6 * coutPad))), b12 = TOps.MultiplyPairs(x, TOps.Load(w + (6 * coutPad)));
        x = TOps.Broadcast(v + 7);
        TVec a13 = TOps.MultiplyPairs(x, TOps.Load(u + (7 * coutPad))), b13 = TOps.MultiplyPairs(x, TOps.Load(w + (7 * coutPad)));
        // r0 = M(row 0) + M(row 1) + M(row 2), r1 = M(row 1) − M(row 2) − M(row 3), column by column.
        a00 = TOps.Add(a00, a10); a01 = TOps.Add(a01, a11); a02 = TOps.Add(a02, a12); a03 = TOps.Add(a03, a13);
        b00 = TOps.Add(b00, b10); b01 = TOps.Add(b01, b11); b02 = TOps.Add(b02, b12); b03 = TOps.Add(b03, b13);
        Rows23<TOps, TVec>(v, u, w, coutPad, 0, ref a00, ref a10, ref b00, ref b10);
        Rows23<TOps, TVec>(v, u, w, coutPad, 1, ref a01, ref a11, ref b01, ref b11);
        Rows23<TOps, TVec>(v, u, w, coutPad, 2, ref a02, ref a12, ref b02, ref b12);
        Rows23<TOps, TVec>(v, u, w, coutPad, 3, ref a03, ref a13, ref b03, ref b13);
        return (PooledMax<TOps, TVec>(a00, a01, a02, a03, a10, a11, a12, a13), PooledMax<TOps, TVec>(b00, b01, b02, b03, b10, b11, b12, b13));
    }

    /// <summary>Rows 2 and 3 of M in one column: into r0 (+ row 2) and r1 (− row 2 − row 3), for both vectors.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Rows23<TOps, TVec>(int* v, int* u, int* w, int coutPad, int column, ref TVec a0, ref TVec a1, ref TVec b0, ref TVec b1)
        where TOps : struct, IInt8Lanes<TVec>
        where TVec : struct
    {
        TVec x2 = TOps.Broadcast(v + 8 + column), x3 = TOps.Broadcast(v + 12 + column);
        long at2 = (8L + column) * coutPad, at3 = (12L + column) * coutPad;
        TVec ma = TOps.MultiplyPairs(x2, TOps.Load(u + at2)), mb = TOps.MultiplyPairs(x2, TOps.Load(w + at2));
        a0 = TOps.Add(a0, ma);
        b0 = TOps.Add(b0, mb);
        a1 = TOps.Subtract(a1, TOps.Add(ma, TOps.MultiplyPairs(x3, TOps.Load(u + at3))));
        b1 = TOps.Subtract(b1, TOps.Add(mb, TOps.MultiplyPairs(x3, TOps.Load(w + at3))));
    }

    /// <summary>The largest of the tile's four outputs from the column sums r0 and r1, divided by 4 (Aᵀ M A = 4·Y).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec PooledMax<TOps, TVec>(TVec r00, TVec r01, TVec r02, TVec r03, TVec r10, TVec r11, TVec r12, TVec r13)
        where TOps : struct, IInt8Lanes<TVec>
        where TVec : struct
    {
        TVec y00 = TOps.Add(TOps.Add(r00, r01), r02), y01 = TOps.Subtract(TOps.Subtract(r01, r02), r03);
        TVec y10 = TOps.Add(TOps.Add(r10, r11), r12), y11 = TOps.Subtract(TOps.Subtract(r11, r12), r13);
        return TOps.DivideByFour(TOps.Max(TOps.Max(y00, y01), TOps.Max(y10, y11)));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec Product<TOps, TVec>(int* v, int* u, int coutPad, int xi)
        where TOps : struct, IInt8Lanes<TVec>
        where TVec : struct => TOps.MultiplyPairs(TOps.Broadcast(v + xi), TOps.Load(u + (xi * coutPad)));
}
