namespace Eclairs.Onboard.Inference.Quantized;

/// <summary>
/// The GEMM of the integer Winograd kernels (<see cref="Int8Winograd"/>, F(2x2): 16 positions; <see cref="Int8Winograd4"/>,
/// F(4x4): 36): per transform position, the transformed inputs of a group of tiles times the transformed weights,
/// summed over input-channel pairs with <c>PMADDWD</c> (exact int16 products into int32). Each weight vector loaded
/// serves every tile of the group; products are written tile-major so a tile's output transform reads contiguous rows.
/// </summary>
internal static unsafe class Int8WinogradGemm
{
    /// <summary>
    /// M[t][ξ] = Σ_pairs V[ξ][t] · U[ξ] for four tiles, two vectors of output channels at a time: V[ξ][t] at
    /// v + ξ·positionStride + t·pairs, U[ξ] packed [positions][pairs][coutPad] int16 pairs, M[t] at m + t·productStride.
    /// </summary>
    public static void Multiply4<TOps, TVec>(int* v, int positionStride, int* u, int* m, int positions, int pairs, int coutPad, int productStride)
        where TOps : struct, IInt8Lanes<TVec>
        where TVec : struct
    {
        int block = 2 * TOps.Lanes;
        for (int xi = 0; xi < positions; xi++)
        {
            int* x = v + ((long)xi * positionStride);
            int* mx = m + (xi * coutPad);
            for (int cb = 0; cb < coutPad; cb += block)
            {
                TVec a00 = TOps.Zero, a01 = TOps.Zero, a10 = TOps.Zero, a11 = TOps.Zero;
                TVec a20 = TOps.Zero, a21 = TOps.Zero, a30 = TOps.Zero, a31 = TOps.Zero;
                int* w = u + ((long)xi * pairs * coutPad) + cb;
                int* t0 = x, t1 = x + pairs, t2 = x + (2 * pairs), t3 = x + (3 * pairs);
                for (int j = 0; j < pairs; j++)
                {
                    TVec w0 = TOps.Load(w);
                    TVec w1 = TOps.Load(w + TOps.Lanes);
                    TVec x0 = TOps.Broadcast(t0 + j);
                    TVec x1 = TOps.Broadcast(t1 + j);
                    TVec x2 = TOps.Broadcast(t2 + j);
                    TVec x3 = TOps.Broadcast(t3 + j);
                    a00 = TOps.MultiplyAdd(a00, x0, w0);
                    a01 = TOps.MultiplyAdd(a01, x0, w1);
                    a10 = TOps.MultiplyAdd(a10, x1, w0);
                    a11 = TOps.MultiplyAdd(a11, x1, w1);
                    a20 = TOps.MultiplyAdd(a20, x2, w0);
                    a21 = TOps.MultiplyAdd(a21, x2, w1);
                    a30 = TOps.MultiplyAdd(a30, x3, w0);
                    a31 = TOps.MultiplyAdd(a31, x3, w1);
                    w += coutPad;
                }
                TOps.Store(mx + cb, a00);
                TOps.Store(mx + cb + TOps.Lanes, a01);
                TOps.Store(mx + productStride + cb, a10);
                TOps.Store(mx + productStride + cb + TOps.Lanes, a11);
                TOps.Store(mx + (2L * productStride) + cb, a20);
                TOps.Store(mx + (2L * productStride) + cb + TOps.Lanes, a21);
                TOps.Store(mx + (3L * productStride) + cb, a30);
                TOps.Store(mx + (3L * productStride) + cb + TOps.Lanes, a31);
            }
        }
    }

    /// <summary>As <see cref="Multiply4"/> for eight tiles (16 accumulators: AVX-512 only).</summary>
    public static void Multiply8<TOps, TVec>(int* v, int positionStride, int* u, int* m, int positions, int pairs, int coutPad, int productStride)
        where TOps : struct, IInt8Lanes<TVec>
        where TVec : struct
    {
        int block = 2 * TOps.Lanes;
        for (int xi = 0; xi < positions; xi++)
        {
            int* x = v + ((long)xi * positionStride);
            int* mx = m + (xi * coutPad);
            for (int cb = 0; cb < coutPad; cb += block)
            {
                TVec a00 = TOps.Zero, a01 = TOps.Zero, a10 = TOps.Zero, a11 = TOps.Zero;
                TVec a20 = TOps.Zero, a21 = TOps.Zero, a30 = TOps.Zero, a31 = TOps.Zero;
                TVec a40 = TOps.Zero, a41 = TOps.Zero, a50 = TOps.Zero, a51 = TOps.Zero;
                TVec a60 = TOps.Zero, a61 = TOps.Zero, a70 = TOps.Zero, a71 = TOps.Zero;
                int* w = u + ((long)xi * pairs * coutPad) + cb;
                int* t0 = x, t1 = x + pairs, t2 = x + (2 * pairs), t3 = x + (3 * pairs);
                int* t4 = x + (4 * pairs), t5 = x + (5 * pairs), t6 = x + (6 * pairs), t7 = x + (7 * pairs);
                for (int j = 0; j < pairs; j++)
                {
                    TVec w0 = TOps.Load(w);
                    TVec w1 = TOps.Load(w + TOps.Lanes);
                    TVec x0 = TOps.Broadcast(t0 + j);
                    a00 = TOps.MultiplyAdd(a00, x0, w0);
                    a01 = TOps.MultiplyAdd(a01, x0, w1);
                    TVec x1 = TOps.Broadcast(t1 + j);
                    a10 = TOps.MultiplyAdd(a10, x1, w0);
                    a11 = TOps.MultiplyAdd(a11, x1, w1);
                    TVec x2 = TOps.Broadcast(t2 + j);
                    a20 = TOps.MultiplyAdd(a20, x2, w0);
                    a21 = TOps.MultiplyAdd(a21, x2, w1);
                    TVec x3 = TOps.Broadcast(t3 + j);
                    a30 = TOps.MultiplyAdd(a30, x3, w0);
                    a31 = TOps.MultiplyAdd(a31, x3, w1);
                    TVec x4 = TOps.Broadcast(t4 + j);
                    a40 = TOps.MultiplyAdd(a40, x4, w0);
                    a41 = TOps.MultiplyAdd(a41, x4, w1);
                    TVec x5 = TOps.Broadcast(t5 + j);
                    a50 = TOps.MultiplyAdd(a50, x5, w0);
                    a51 = TOps.MultiplyAdd(a51, x5, w1);
                    TVec x6 = TOps.Broadcast(t6 + j);
                    a60 = TOps.MultiplyAdd(a60, x6, w0);
                    a61 = TOps.MultiplyAdd(a61, x6, w1);
                    TVec x7 = TOps.Broadcast(t7 + j);
                    a70 = TOps.MultiplyAdd(a70, x7, w0);
                    a71 = TOps.MultiplyAdd(a71, x7, w1);
                    w += coutPad;
                }
                int* r = mx + cb;
                TOps.Store(r, a00);
                TOps.Store(r + TOps.Lanes, a01);
                TOps.Store(r + productStride, a10);
                TOps.Store(r + productStride + TOps.Lanes, a11);
                TOps.Store(r + (2L * productStride), a20);
                TOps.Store(r + (2L * productStride) + TOps.Lanes, a21);
                TOps.Store(r + (3L * productStride), a30);
                TOps.Store(r + (3L * productStride) + TOps.Lanes, a31);
                TOps.Store(r + (4L * productStride), a40);
                TOps.Store(r + (4L * productStride) + TOps.Lanes, a41);
                TOps.Store(r + (5L * productStride), a50);
                TOps.Store(r + (5L * productStride) + TOps.Lanes, a51);
                TOps.Store(r + (6L * productStride), a60);
                TOps.Store(r + (6L * productStride) + TOps.Lanes, a61);
                TOps.Store(r + (7L * productStride), a70);
                TOps.Store(r + (7L * productStride) + TOps.Lanes, a71);
            }
        }
    }

    /// <summary>As <see cref="Multiply4"/> for one tile (a last, partial group).</summary>
    public static void Multiply1<TOps, TVec>(int* v, int positionStride, int* u, int* m, int positions, int pairs, int coutPad)
        where TOps : struct, IInt8Lanes<TVec>
        where TVec : struct
    {
        int block = 2 * TOps.Lanes;
        for (int xi = 0; xi < positions; xi++)
        {
            int* x = v + ((long)xi * positionStride);
            int* mx = m + (xi * coutPad);
            for (int cb = 0; cb < coutPad; cb += block)
            {
                TVec a0 = TOps.Zero, a1 = TOps.Zero;
                int* w = u + ((long)xi * pairs * coutPad) + cb;
                for (int j = 0; j < pairs; j++)
                {
                    TVec x0 = TOps.Broadcast(x + j);
                    a0 = TOps.MultiplyAdd(a0, x0, TOps.Load(w));
                    a1 = TOps.MultiplyAdd(a1, x0, TOps.Load(w + TOps.Lanes));
                    w += coutPad;
                }
                TOps.Store(mx + cb, a0);
                TOps.Store(mx + cb + TOps.Lanes, a1);
            }
        }
    }
}
