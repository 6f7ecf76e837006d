using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Eclairs.Onboard.Inference.Quantized;

/// <summary>
/// Integer Winograd F(2x2, 3x3) for 3x3 stride-1 'same' convolutions, bit-identical to the direct convolution.
/// With the weight transform scaled by 4, G' = 2G = [2 0 0; 1 1 1; 1 -1 1; 0 0 2], every transform is integer:
/// V = Bᵀ d B of the widened input (x − zp, |x − zp| &lt;= 255) is int16 (|V| &lt;= 4·255), U' = G' g G'ᵀ = 4·G g Gᵀ
/// is int16 (|U'| &lt;= 9·127), the products U'·V are summed over input channels by PMADDWD into int32, and
/// Aᵀ (Σ U' ⊙ V) A = 4·Y where Y is exactly the direct convolution's int32 sum (the Winograd identity holds in
/// exact arithmetic). Intermediate int32 sums may wrap, but all arithmetic is modulo 2^32 and the final 4·Y fits in
/// int32 (cin &lt;= <see cref="MaxInputChannels"/>), so the wrapped result is exact and the division by 4 is an exact
/// arithmetic shift. Then bias and requantization as the direct kernels. 16 products per 2x2 outputs and channel
/// pair instead of 36: 2.25x fewer PMADDWD.
/// </summary>
internal static unsafe class Int8Winograd
{
    /// <summary>4·|Y| &lt;= 4·9·cin·127·255 must stay below 2^31.</summary>
    public const int MaxInputChannels = 1024;

    /// <summary>
    /// Tiles (2x2 output blocks) per group. AVX-512 (32 registers) multiplies all eight at once, so each weight
    /// vector loaded serves eight tiles and the 64 KB of the deck's U' stream from L2 half as often; the 16-register
    /// widths take them four at a time.
    /// </summary>
    public const int Tiles = 8;

    /// <summary>
    /// int32 words of workspace: transformed inputs [16][Tiles][pairs] and products [Tiles][16][coutPad], each tile's
    /// products <see cref="ProductStride"/> apart.
    /// </summary>
    public static int WorkspaceInts(int pairs, int coutPad) =>
        (16 * Tiles * pairs) + (Tiles * ProductStride(coutPad)) + Int8WinogradEdgeTiles.StagingInts(2, pairs, coutPad);

    /// <summary>
    /// int32 words from one tile's products to the next: 16 contiguous rows of coutPad plus 64 bytes, so the rows the
    /// output transform reads are not kilobytes apart in a few L1 sets (as in <see cref="Int8Winograd4.ProductStride"/>).
    /// </summary>
    public static int ProductStride(int coutPad) => (16 * coutPad) + 16;

    /// <summary>U' = G' g G'ᵀ from HWIO int8 weights, packed [16][pairs][coutPad][2] int16 (pairs of input channels side by side).</summary>
    public static short[] TransformWeights(ReadOnlySpan<sbyte> hwio, int cin, int cout, int coutPad)
    {
        ReadOnlySpan<int> g = [2, 0, 0, 1, 1, 1, 1, -1, 1, 0, 0, 2];
        int pairs = Int8Packing.Pairs(cin);
        var u = new short[16 * pairs * coutPad * 2];
        for (int ci = 0; ci < cin; ci++)
        {
            for (int co = 0; co < cout; co++)
            {
                for (int a = 0; a < 4; a++)
                {
                    for (int b = 0; b < 4; b++)
                    {
                        int sum = 0;
                        for (int i = 0; i < 3; i++)
                        {
                            for (int j = 0; j < 3; j++)
                            {
                                sum += g[(a * 3) + i] * hwio[((((i * 3) + j) * cin) + ci) * cout + co] * g[(b * 3) + j];
                            }
                        }
                        u[((((((a * 4) + b) * pairs) + (ci / 2)) * coutPad) + co) * 2 + (ci & 1)] = checked((short)sum);
                    }
                }
            }
        }
        return u;
    }

    /// <summary>
    /// The convolution over a widened region (<see cref="Int8Simd.Widen"/> with pad 1); output NHWC int8, or with
    /// <paramref name="pool"/> the 2x2 max pool of it (each tile is one pooling window: the largest of its four
    /// exact sums is requantized, see <see cref="KernelSelector.PoolFusionIsExact"/>). Tiles are numbered across rows and
    /// taken <see cref="Tiles"/> at a time; a last partial group repeats its last tile (same values, no separate kernel).
    /// </summary>
    public static void Conv2D<TOps, TVec>(in Int8Step l, byte* parameters, short* region, int* work, sbyte* output, bool pool)
        where TOps : struct, IInt8Lanes<TVec>
        where TVec : struct
    {
        int pairs = l.Pairs, cout = l.Out.Channels, coutPad = l.CoutPad, ow = l.Out.Width;
        int cPad = 2 * pairs, rowShorts = (l.In.Width + 2) * cPad;
        // Pooled, the tiles are the pooling windows: an odd side drops its last row or column, no tile sticks out.
        int tilesX = (WinogradEdgeTiles.Covered(ow, pool) + 1) / 2, tiles = tilesX * ((WinogradEdgeTiles.Covered(l.Out.Height, pool) + 1) / 2);
        int* v = work;
        int* m = work + (16 * Tiles * pairs);
        int productStride = ProductStride(coutPad);
        short* patch = (short*)(m + (Tiles * productStride)); // edge tiles: the 4x4 patch, then the staged outputs
        sbyte* staged = (sbyte*)(patch + (16 * 2 * pairs));
        {
            short* u = (short*)(parameters + l.Transformed);
            RequantizeConstants rk = l.Constants(parameters);
            for (int first = 0; first < tiles; first += Tiles)
            {
                for (int t = 0; t < Tiles; t++)
                {
                    int tile = Math.Min(first + t, tiles - 1), ty = tile / tilesX, tx = tile % tilesX;
                    if (Int8WinogradEdgeTiles.IsEdge(l, pool, 2, ty, tx))
                    {
                        int patchRow = Int8WinogradEdgeTiles.StageInput(l, region, cPad, 2, ty, tx, patch);
                        InputTransform(patch, patchRow, cPad, (short*)(v + (t * pairs)), Tiles * pairs);
                    }
                    else
                    {
                        InputTransform(region + ((2L * ty * rowShorts) + (2L * tx * cPad)), rowShorts, cPad, (short*)(v + (t * pairs)), Tiles * pairs);
                    }
                }
                if (TOps.Lanes == 16)
                {
                    Int8WinogradGemm.Multiply8<TOps, TVec>(v, Tiles * pairs, (int*)u, m, 16, pairs, coutPad, productStride);
                }
                else
                {
                    Int8WinogradGemm.Multiply4<TOps, TVec>(v, Tiles * pairs, (int*)u, m, 16, pairs, coutPad, productStride);
                    Int8WinogradGemm.Multiply4<TOps, TVec>(v + (4 * pairs), Tiles * pairs, (int*)u, m + (4L * productStride), 16, pairs, coutPad, productStride);
                }
                int count = Math.Min(Tiles, tiles - first);
                for (int t = 0; t < count; t++)
                {
                    int ty = (first + t) / tilesX, tx = (first + t) % tilesX;
                    if (pool)
                    {
                        PooledOutputTransform<TOps, TVec>(rk, m + ((long)t * productStride), coutPad, output + ((((long)ty * tilesX) + tx) * cout), cout);
                    }
                    else if (Int8WinogradEdgeTiles.IsEdge(l, pool, 2, ty, tx))
                    {
                        OutputTransform<TOps, TVec>(rk, m + ((long)t * productStride), coutPad, staged, 2L * cout, cout);
                        Int8WinogradEdgeTiles.CopyOutput(staged, 2, ty, tx, output, l.Out.Height, ow, cout);
                    }
                    else
                    {
                        sbyte* o = output + ((((2L * ty * ow) + (2L * tx)) * cout));
                        OutputTransform<TOps, TVec>(rk, m + ((long)t * productStride), coutPad, o, (long)ow * cout, cout);
                    }
                }
            }
        }
    }

    /// <summary>V = Bᵀ d B of one 4x4 input patch, eight channels per Vector128 (int16, exact): V[ξ] at v + ξ·stride (int32 units).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void InputTransform(short* patch, int rowShorts, int cPad, short* v, int stride)
    {
        for (int c = 0; c < cPad; c += 8)
        {
            short* p = patch + c;
            Vector128<short> d00 = Vector128.Load(p), d01 = Vector128.Load(p + cPad), d02 = Vector128.Load(p + (2 * cPad)), d03 = Vector128.Load(p + (3 * cPad));
            p += rowShorts;
            Vector128<short> d10 = Vector128.Load(p), d11 = Vector128.Load(p + cPad), d12 = Vector128.Load(p + (2 * cPad)), d13 = Vector128.Load(p + (3 * cPad));
            p += rowShorts;
            Vector128<short> d20 = Vector128.Load(p), d21 = Vector128.Load(p + cPad), d22 = Vector128.Load(p + (2 * cPad)), d23 = Vector128.Load(p + (3 * cPad));
            p += rowShorts;
            Vector128<short> d30 = Vector128.Load(p), d31 = Vector128.Load(p + cPad), d32 = Vector128.Load(p + (2 * cPad)), d33 = Vector128.Load(p + (3 * cPad));
            // rows: Bᵀ d
            Row(d00 - d20, d01 - d21, d02 - d22, d03 - d23, v + c, 0, stride);
            Row(d10 + d20, d11 + d21, d12 + d22, d13 + d23, v + c, 4, stride);
            Row(d20 - d10, d21 - d11, d22 - d12, d23 - d13, v + c, 8, stride);
            Row(d10 - d30, d11 - d31, d12 - d32, d13 - d33, v + c, 12, stride);
        }
    }

    /// <summary>One row of (Bᵀ d) B: positions ξ = first .. first + 3.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Row(Vector128<short> t0, Vector128<short> t1, Vector128<short> t2, Vector128<short> t3, short* v, int first, int stride)
    {
        long s = 2L * stride; // shorts per position
        (t0 - t2).Store(v + (first * s));
        (t1 + t2).Store(v + ((first + 1) * s));
        (t2 - t1).Store(v + ((first + 2) * s));
        (t1 - t3).Store(v + ((first + 3) * s));
    }

    /// <summary>Y = Aᵀ M A / 4 for one tile (exact), then bias, requantization and the store of its 2x2 output pixels.</summary>
    private static void OutputTransform<TOps, TVec>(in RequantizeConstants rk, int* m, int coutPad, sbyte* o, long row, int cout)
        where TOps : struct, IInt8Lanes<TVec>
        where TVec : struct
    {
        int block = 2 * TOps.Lanes;
        for (int cb = 0; cb < coutPad; cb += block)
        {
            (TVec y00a, TVec y01a, TVec y10a, TVec y11a) = Transform<TOps, TVec>(m + cb, coutPad);
            (TVec y00b, TVec y01b, TVec y10b, TVec y11b) = Transform<TOps, TVec>(m + cb + TOps.Lanes, coutPad);
            Int8Simd.Store<TOps, TVec>(rk, cb, y00a, y00b, o, cout);
            Int8Simd.Store<TOps, TVec>(rk, cb, y01a, y01b, o + cout, cout);
            Int8Simd.Store<TOps, TVec>(rk, cb, y10a, y10b, o + row, cout);
            Int8Simd.Store<TOps, TVec>(rk, cb, y11a, y11b, o + row + cout, cout);
        }
    }

    /// <summary>The tile's 2x2 exact sums reduced to their maximum, then requantized once.</summary>
    private static void PooledOutputTransform<TOps, TVec>(in RequantizeConstants rk, int* m, int coutPad, sbyte* o, int cout)
        where TOps : struct, IInt8Lanes<TVec>
        where TVec : struct
    {
        int block = 2 * TOps.Lanes;
        for (int cb = 0; cb < coutPad; cb += block)
        {
            (TVec y00a, TVec y01a, TVec y10a, TVec y11a) = Transform<TOps, TVec>(m + cb, coutPad);
            (TVec y00b, TVec y01b, TVec y10b, TVec y11b) = Transform<TOps, TVec>(m + cb + TOps.Lanes, coutPad);
            Int8Simd.Store<TOps, TVec>(rk, cb,
                TOps.Max(TOps.Max(y00a, y01a), TOps.Max(y10a, y11a)),
                TOps.Max(TOps.Max(y00b, y01b), TOps.Max(y10b, y11b)), o, cout);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (TVec Y00, TVec Y01, TVec Y10, TVec Y11) Transform<TOps, TVec>(int* m, int stride)
        where TOps : struct, IInt8Lanes<TVec>
        where TVec : struct
    {
        // Aᵀ = [1 1 1 0; 0 1 -1 -1]: first combine rows a (s0 = m0 + m1 + m2, s1 = m1 - m2 - m3), then columns b.
        TVec s00 = Column<TOps, TVec>(m, stride, 0, 0), s01 = Column<TOps, TVec>(m, stride, 1, 0);
        TVec s02 = Column<TOps, TVec>(m, stride, 2, 0), s03 = Column<TOps, TVec>(m, stride, 3, 0);
        TVec s10 = Column<TOps, TVec>(m, stride, 0, 1), s11 = Column<TOps, TVec>(m, stride, 1, 1);
        TVec s12 = Column<TOps, TVec>(m, stride, 2, 1), s13 = Column<TOps, TVec>(m, stride, 3, 1);
        return (TOps.DivideByFour(TOps.Add(TOps.Add(s00, s01), s02)),
            TOps.DivideByFour(TOps.Subtract(TOps.Subtract(s01, s02), s03)),
            TOps.DivideByFour(TOps.Add(TOps.Add(s10, s11), s12)),
            TOps.DivideByFour(TOps.Subtract(TOps.Subtract(s11, s12), s13)));
    }

    /// <summary>Row combination r (0: m0 + m1 + m2, 1: m1 - m2 - m3) of column b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec Column<TOps, TVec>(int* m, int stride, int b, int r)
        where TOps : struct, IInt8Lanes<TVec>
        where TVec : struct
    {
        TVec m0 = TOps.Load(m + ((long)b * stride)), m1 = TOps.Load(m + ((long)(4 + b) * stride));
        TVec m2 = TOps.Load(m + ((long)(8 + b) * stride)), m3 = TOps.Load(m + ((long)(12 + b) * stride));
        return r == 0 ? TOps.Add(TOps.Add(m0, m1), m2) : TOps.Subtract(TOps.Subtract(m1, m2), m3);
    }
}
