using System;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Eclairs.Onboard.Inference.Quantized;

/// <summary>
/// Integer Winograd F(4x4, 3x3) (Lavin's Bᵀ, G, Aᵀ) for 3x3 stride-1 'same' convolutions, bit-identical to the direct
/// convolution: 36 products per 4x4 outputs and channel pair instead of 144 (F(2x2): 64).
/// <list type="bullet">
/// <item>Input: V = Bᵀ d B of the widened region (|d| &lt;= 255); Bᵀ's row absolute sums are at most 10, so
/// |V| &lt;= 100·255 = 25500, exact in int16 (int16 adds wrap, but the final value fits, so it is exact).</item>
/// <item>Weights: each row a of G scaled by s = (4, 6, 6, 24, 24, 1) to the integer G'' = diag(s) G; U'' = G'' g G''ᵀ,
/// |U''| &lt;= 7·7·127 = 6223, int16. One PMADDWD term is at most 2·25500·6223 &lt; 2^31.</item>
/// <item>Output: with t = 24 / s = (6, 4, 4, 1, 1, 24), A' = Aᵀ diag(t) is integer and A' M'' A'ᵀ = 576·Y, Y the
/// direct convolution's exact sum. The transform uses A' with its rows divided by their common powers of two
/// c = (1, 2, 4, 4), so pixel (i, j) comes out as 576·Y / (cᵢ·cⱼ). Everything after the int16 stage is int32 ring
/// arithmetic (wrapping), so that is known modulo 2^32; times inv9 = 9⁻¹ mod 2^32 it is 2^k·Y modulo 2^32 with
/// k = 6 − log2(cᵢ·cⱼ) in 2..6, which is 2^k·Y itself while |Y| &lt; 2^25, and an arithmetic shift by k gives Y.
/// |Y| &lt;= 9·cin·127·255 bounds cin (<see cref="MaxInputChannels"/>).</item>
/// </list>
/// Then bias and requantization as the direct kernels, optionally after a 2x2 max over Y (pooling fused).
/// </summary>
internal static unsafe class Int8Winograd4
{
    /// <summary>Transform positions (6x6).</summary>
    public const int Positions = 36;

    /// <summary>Tiles (4x4 output blocks) per GEMM block: each weight vector loaded serves four tiles.</summary>
    public const int Tiles = 4;

    /// <summary>9⁻¹ modulo 2^32 (9 · 0x38E38E39 = 2^33 + 1).</summary>
    public const int Inverse9 = 0x38E38E39;

    /// <summary>Largest |Y| for which 64·Y fits in int32: 2^25 − 1.</summary>
    public const int MaxSum = (1 << 25) - 1;

    /// <summary>Largest cin with 9·cin·127·255 &lt;= <see cref="MaxSum"/> (115).</summary>
    public const int MaxInputChannels = MaxSum / (9 * 127 * 255);

    /// <summary>
    /// int32 words of workspace: transformed inputs [36][Tiles][pairs] and products [Tiles][36][coutPad], each tile's
    /// products <see cref="ProductStride"/> apart.
    /// </summary>
    public static int WorkspaceInts(int pairs, int coutPad) =>
        (Positions * Tiles * pairs) + (Tiles * ProductStride(coutPad)) + Int8WinogradEdgeTiles.StagingInts(4, pairs, coutPad);

    /// <summary>
    /// int32 words from one tile's products to the next: 36 contiguous rows of coutPad, plus 64 bytes so the tiles do
    /// not alias at 4 KiB. Position-major products ([36][Tiles][coutPad]) put the 36 rows the output transform reads a
    /// kilobyte apart, all in four L1 sets: more lines than the cache's ways, so they missed.
    /// </summary>
    public static int ProductStride(int coutPad) => (Positions * coutPad) + 16;

    /// <summary>G'' = diag(4, 6, 6, 24, 24, 1) · G, row-major 6x3.</summary>
    internal static ReadOnlySpan<int> WeightTransform => [1, 0, 0, -1, -1, -1, -1, 1, -1, 1, 2, 4, 1, -2, 4, 0, 0, 1];

    /// <summary>U'' = G'' g G''ᵀ from HWIO int8 weights, packed [36][pairs][coutPad][2] int16.</summary>
    public static short[] TransformWeights(ReadOnlySpan<sbyte> hwio, int cin, int cout, int coutPad)
    {
        if (cin <= 0 || cout <= 0 || coutPad < cout || hwio.Length != 9 * cin * cout)
        {
            throw new ArgumentException($"3x3 weights of {cin} x {cout} channels (cout padded to {coutPad}) must hold {9L * cin * cout} values, got {hwio.Length}", nameof(hwio));
        }
        ReadOnlySpan<int> g = WeightTransform;
        int pairs = Int8Packing.Pairs(cin);
        var u = new short[checked(Positions * pairs * coutPad * 2)];
        Span<int> rows = stackalloc int[18]; // G'' g for one (ci, co): 6x3
        for (int ci = 0; ci < cin; ci++)
        {
            for (int co = 0; co < cout; co++)
            {
                for (int a = 0; a < 6; a++)
                {
                    for (int j = 0; j < 3; j++)
                    {
                        int sum = 0;
                        for (int i = 0; i < 3; i++)
                        {
                            sum += g[(a * 3) + i] * hwio[((((i * 3) + j) * cin) + ci) * cout + co];
                        }
                        rows[(a * 3) + j] = sum;
                    }
                }
                for (int a = 0; a < 6; a++)
                {
                    for (int b = 0; b < 6; b++)
                    {
                        int sum = 0;
                        for (int j = 0; j < 3; j++)
                        {
                            sum += rows[(a * 3) + j] * g[(b * 3) + j];
                        }
                        u[((((((a * 6) + b) * pairs) + (ci / 2)) * coutPad) + co) * 2 + (ci & 1)] = checked((short)sum);
                    }
                }
            }
        }
        return u;
    }

    /// <summary>
    /// The convolution over a widened region (<see cref="Int8Simd.Widen"/> with pad 1). <paramref name="pool"/> false:
    /// the H x W x cout NHWC output; true: the (H/2) x (W/2) x cout output of requantize(bias + max of Y over each 2x2
    /// window), equal to max pooling of the requantized output only where requantization is monotone (the caller's
    /// plan guarantees it). Tiles are numbered across rows and taken four at a time.
    /// </summary>
    public static void Conv2D<TOps, TVec>(in Int8Step l, byte* parameters, short* region, int* work, sbyte* output, bool pool)
        where TOps : struct, IInt8Lanes<TVec>
        where TVec : struct
    {
        int pairs = l.Pairs, cout = l.Out.Channels, coutPad = l.CoutPad, ow = l.Out.Width;
        int cPad = 2 * pairs, rowShorts = (l.In.Width + 2) * cPad;
        int tilesX = (WinogradEdgeTiles.Covered(ow, pool) + 3) / 4, tiles = tilesX * ((WinogradEdgeTiles.Covered(l.Out.Height, pool) + 3) / 4);
        int outWidth = pool ? ow / 2 : ow, outHeight = pool ? l.Out.Height / 2 : l.Out.Height, tileOut = pool ? 2 : 4;
        long outRow = (long)outWidth * cout;
        int* v = work;
        int* m = work + (Positions * Tiles * pairs);
        int productStride = ProductStride(coutPad);
        short* patch = (short*)(m + (Tiles * productStride)); // edge tiles: the 6x6 patch, then the staged outputs
        sbyte* staged = (sbyte*)(patch + (Positions * 2 * pairs));
        short* columns = stackalloc short[Positions * 32];
        {
            short* u = (short*)(parameters + l.Transformed);
            RequantizeConstants rk = l.Constants(parameters);
            for (int first = 0; first < tiles; first += Tiles)
            {
                int count = Math.Min(Tiles, tiles - first);
                for (int t = 0; t < count; t++)
                {
                    (int ty, int tx) = Math.DivRem(first + t, tilesX);
                    if (Int8WinogradEdgeTiles.IsEdge(l, pool, 4, ty, tx))
                    {
                        int patchRow = Int8WinogradEdgeTiles.StageInput(l, region, cPad, 4, ty, tx, patch);
                        InputTransform<TOps, TVec>(patch, patchRow, cPad, (short*)(v + (t * pairs)), Tiles * pairs, columns);
                    }
                    else
                    {
                        InputTransform<TOps, TVec>(region + ((4L * ty * rowShorts) + (4L * tx * cPad)), rowShorts, cPad, (short*)(v + (t * pairs)), Tiles * pairs, columns);
                    }
                }
                if (count == Tiles)
                {
                    Int8WinogradGemm.Multiply4<TOps, TVec>(v, Tiles * pairs, (int*)u, m, Positions, pairs, coutPad, productStride);
                }
                else
                {
                    for (int t = 0; t < count; t++)
                    {
                        Int8WinogradGemm.Multiply1<TOps, TVec>(v + (t * pairs), Tiles * pairs, (int*)u, m + ((long)t * productStride), Positions, pairs, coutPad);
                    }
                }
                for (int t = 0; t < count; t++)
                {
                    (int ty, int tx) = Math.DivRem(first + t, tilesX);
                    bool edge = Int8WinogradEdgeTiles.IsEdge(l, pool, 4, ty, tx);
                    sbyte* o = edge ? staged : output + ((((long)tileOut * ty * outWidth) + ((long)tileOut * tx)) * cout);
                    long row = edge ? (long)tileOut * cout : outRow;
                    if (pool)
                    {
                        OutputTransformPooled<TOps, TVec>(rk, m + ((long)t * productStride), coutPad, o, row, cout);
                    }
                    else
                    {
                        OutputTransform<TOps, TVec>(rk, m + ((long)t * productStride), coutPad, o, row, cout);
                    }
                    if (edge)
                    {
                        Int8WinogradEdgeTiles.CopyOutput(staged, tileOut, ty, tx, output, outHeight, outWidth, cout);
                    }
                }
            }
        }
    }

    /// <summary>
    /// V = Bᵀ d B of one 6x6 input patch, channel-wise on int16 vectors as wide as the path's (32, 16 or 8 channels,
    /// then narrower for the rest): V[ξ] at v + ξ·stride (int32 units).
    /// </summary>
    private static void InputTransform<TOps, TVec>(short* patch, int rowShorts, int cPad, short* v, int stride, short* columns)
        where TOps : struct, IInt8Lanes<TVec>
        where TVec : struct
    {
        long s = 2L * stride; // shorts per position
        int c = 0;
        if (TOps.Lanes >= 16)
        {
            for (; c + 32 <= cPad; c += 32)
            {
                InputTransform512(patch + c, rowShorts, cPad, v + c, s, columns);
            }
        }
        if (TOps.Lanes >= 8)
        {
            for (; c + 16 <= cPad; c += 16)
            {
                InputTransform256(patch + c, rowShorts, cPad, v + c, s, columns);
            }
        }
        for (; c < cPad; c += 8)
        {
            InputTransform128(patch + c, rowShorts, cPad, v + c, s, columns);
        }
    }

    // Each: first Bᵀ down the 6 columns into columns [6 rows][6 columns][W], then along the 6 rows into V.
    private static void InputTransform128(short* p, int rowShorts, int cPad, short* v, long s, short* columns)
    {
        const int W = 8;
        for (int j = 0; j < 6; j++)
        {
            short* q = p + (j * cPad);
            InputRows(Vector128.Load(q), Vector128.Load(q + rowShorts), Vector128.Load(q + (2 * rowShorts)),
                Vector128.Load(q + (3 * rowShorts)), Vector128.Load(q + (4 * rowShorts)), Vector128.Load(q + (5 * rowShorts)), columns + (j * W), 6 * W);
        }
        for (int i = 0; i < 6; i++)
        {
            short* r = columns + (i * 6 * W);
            InputRows(Vector128.Load(r), Vector128.Load(r + W), Vector128.Load(r + (2 * W)), Vector128.Load(r + (3 * W)),
                Vector128.Load(r + (4 * W)), Vector128.Load(r + (5 * W)), v + (i * 6 * s), s);
        }
    }

    private static void InputTransform256(short* p, int rowShorts, int cPad, short* v, long s, short* columns)
    {
        const int W = 16;
        for (int j = 0; j < 6; j++)
        {
            short* q = p + (j * cPad);
            InputRows(Vector256.Load(q), Vector256.Load(q + rowShorts), Vector256.Load(q + (2 * rowShorts)),
                Vector256.Load(q + (3 * rowShorts)), Vector256.Load(q + (4 * rowShorts)), Vector256.Load(q + (5 * rowShorts)), columns + (j * W), 6 * W);
        }
        for (int i = 0; i < 6; i++)
        {
            short* r = columns + (i * 6 * W);
            InputRows(Vector256.Load(r), Vector256.Load(r + W), Vector256.Load(r + (2 * W)), Vector256.Load(r + (3 * W)),
                Vector256.Load(r + (4 * W)), Vector256.Load(r + (5 * W)), v + (i * 6 * s), s);
        }
    }

    private static void InputTransform512(short* p, int rowShorts, int cPad, short* v, long s, short* columns)
    {
        const int W = 32;
        for (int j = 0; j < 6; j++)
        {
            short* q = p + (j * cPad);
            InputRows(Vector512.Load(q), Vector512.Load(q + rowShorts), Vector512.Load(q + (2 * rowShorts)),
                Vector512.Load(q + (3 * rowShorts)), Vector512.Load(q + (4 * rowShorts)), Vector512.Load(q + (5 * rowShorts)), columns + (j * W), 6 * W);
        }
        for (int i = 0; i < 6; i++)
        {
            short* r = columns + (i * 6 * W);
            InputRows(Vector512.Load(r), Vector512.Load(r + W), Vector512.Load(r + (2 * W)), Vector512.Load(r + (3 * W)),
                Vector512.Load(r + (4 * W)), Vector512.Load(r + (5 * W)), v + (i * 6 * s), s);
        }
    }

    /// <summary>
    /// Bᵀ (rows 4 0 −5 0 1 0; 0 −4 −4 1 1 0; 0 4 −4 −1 1 0; 0 −2 −1 2 1 0; 0 2 −1 −2 1 0; 0 4 0 −5 0 1) applied to
    /// d0..d5, stored at o + k·step. The same expression for each vector width.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void InputRows(Vector128<short> d0, Vector128<short> d1, Vector128<short> d2, Vector128<short> d3,
        Vector128<short> d4, Vector128<short> d5, short* o, long step)
    {
        Vector128<short> d42 = d4 - d2, d31 = d3 - d1;
        (d42 + ((d0 - d2) << 2)).Store(o);
        ((d3 + d4) - ((d1 + d2) << 2)).Store(o + step);
        ((d4 - d3) + ((d1 - d2) << 2)).Store(o + (2 * step));
        (d42 + (d31 << 1)).Store(o + (3 * step));
        (d42 - (d31 << 1)).Store(o + (4 * step));
        ((d5 - d3) + ((d1 - d3) << 2)).Store(o + (5 * step));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void InputRows(Vector256<short> d0, Vector256<short> d1, Vector256<short> d2, Vector256<short> d3,
        Vector256<short> d4, Vector256<short> d5, short* o, long step)
    {
        Vector256<short> d42 = d4 - d2, d31 = d3 - d1;
        (d42 + ((d0 - d2) << 2)).Store(o);
        ((d3 + d4) - ((d1 + d2) << 2)).Store(o + step);
        ((d4 - d3) + ((d1 - d2) << 2)).Store(o + (2 * step));
        (d42 + (d31 << 1)).Store(o + (3 * step));
        (d42 - (d31 << 1)).Store(o + (4 * step));
        ((d5 - d3) + ((d1 - d3) << 2)).Store(o + (5 * step));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void InputRows(Vector512<short> d0, Vector512<short> d1, Vector512<short> d2, Vector512<short> d3,
        Vector512<short> d4, Vector512<short> d5, short* o, long step)
    {
        Vector512<short> d42 = d4 - d2, d31 = d3 - d1;
        (d42 + ((d0 - d2) << 2)).Store(o);
        ((d3 + d4) - ((d1 + d2) << 2)).Store(o + step);
        ((d4 - d3) + ((d1 - d2) << 2)).Store(o + (2 * step));
        (d42 + (d31 << 1)).Store(o + (3 * step));
        (d42 - (d31 << 1)).Store(o + (4 * step));
        ((d5 - d3) + ((d1 - d3) << 2)).Store(o + (5 * step));
    }

    /// <summary>
    /// Y of one tile (16 pixels) from its products M (36 rows of <paramref name="coutPad"/>, tile-major), then bias,
    /// requantization and the store of its 4x4 output pixels.
    /// </summary>
    private static void OutputTransform<TOps, TVec>(in RequantizeConstants rk, int* m, int coutPad, sbyte* o, long row, int cout)
        where TOps : struct, IInt8Lanes<TVec>
        where TVec : struct
    {
        int block = 2 * TOps.Lanes;
        TVec inverse9 = TOps.Create(Inverse9);
        for (int cb = 0; cb < coutPad; cb += block)
        {
            ColumnPass<TOps, TVec>(m + cb, coutPad);
            ColumnPass<TOps, TVec>(m + cb + TOps.Lanes, coutPad);
            // Pixel (i, j) carries 2^(6 − log2(cᵢ·cⱼ))·Y, c = (1, 2, 4, 4); constant shift counts, so one call per row.
            StoreRow<TOps, TVec>(rk, m, cb, coutPad, inverse9, 0, 6, 5, 4, o, cout);
            StoreRow<TOps, TVec>(rk, m, cb, coutPad, inverse9, 1, 5, 4, 3, o + row, cout);
            StoreRow<TOps, TVec>(rk, m, cb, coutPad, inverse9, 2, 4, 3, 2, o + (2 * row), cout);
            StoreRow<TOps, TVec>(rk, m, cb, coutPad, inverse9, 3, 4, 3, 2, o + (3 * row), cout);
        }
    }

    /// <summary>Row <paramref name="p"/> of a tile: Y of its four pixels (scaled by 2^k0, 2^k1, 2^k2, 2^k2), requantized and stored.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow<TOps, TVec>(in RequantizeConstants rk, int* m, int cb, int stride, TVec inverse9, int p,
        [ConstantExpected(Max = (byte)31)] byte k0, [ConstantExpected(Max = (byte)31)] byte k1, [ConstantExpected(Max = (byte)31)] byte k2, sbyte* pixel, int cout)
        where TOps : struct, IInt8Lanes<TVec>
        where TVec : struct
    {
        (TVec y0a, TVec y1a, TVec y2a, TVec y3a) = RowPass<TOps, TVec>(m + cb + ((long)p * 6 * stride), stride, inverse9);
        (TVec y0b, TVec y1b, TVec y2b, TVec y3b) = RowPass<TOps, TVec>(m + cb + TOps.Lanes + ((long)p * 6 * stride), stride, inverse9);
        Int8Simd.Store<TOps, TVec>(rk, cb, TOps.ShiftRightArithmetic(y0a, k0), TOps.ShiftRightArithmetic(y0b, k0), pixel, cout);
        Int8Simd.Store<TOps, TVec>(rk, cb, TOps.ShiftRightArithmetic(y1a, k1), TOps.ShiftRightArithmetic(y1b, k1), pixel + cout, cout);
        Int8Simd.Store<TOps, TVec>(rk, cb, TOps.ShiftRightArithmetic(y2a, k2), TOps.ShiftRightArithmetic(y2b, k2), pixel + (2 * cout), cout);
        Int8Simd.Store<TOps, TVec>(rk, cb, TOps.ShiftRightArithmetic(y3a, k2), TOps.ShiftRightArithmetic(y3b, k2), pixel + (3 * cout), cout);
    }

    /// <summary>As <see cref="OutputTransform"/>, storing the 2x2 maxima of Y (four pooled pixels per tile).</summary>
    private static void OutputTransformPooled<TOps, TVec>(in RequantizeConstants rk, int* m, int coutPad, sbyte* o, long row, int cout)
        where TOps : struct, IInt8Lanes<TVec>
        where TVec : struct
    {
        int block = 2 * TOps.Lanes;
        TVec inverse9 = TOps.Create(Inverse9);
        for (int cb = 0; cb < coutPad; cb += block)
        {
            ColumnPass<TOps, TVec>(m + cb, coutPad);
            ColumnPass<TOps, TVec>(m + cb + TOps.Lanes, coutPad);
            StorePooledRow<TOps, TVec>(rk, m, cb, coutPad, inverse9, 0, o, cout, 6, 5, 4, 5, 4, 3);
            StorePooledRow<TOps, TVec>(rk, m, cb, coutPad, inverse9, 2, o + row, cout, 4, 3, 2, 4, 3, 2);
        }
    }

    /// <summary>
    /// Rows <paramref name="p"/> and p + 1 of a tile (their pixels scaled by 2^a0, 2^a1, 2^a2, 2^a2 and 2^b0, 2^b1,
    /// 2^b2, 2^b2): the maxima of Y over their two 2x2 windows, requantized and stored.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StorePooledRow<TOps, TVec>(in RequantizeConstants rk, int* m, int cb, int stride, TVec inverse9, int p,
        sbyte* pixel, int cout, [ConstantExpected(Max = (byte)31)] byte a0, [ConstantExpected(Max = (byte)31)] byte a1, [ConstantExpected(Max = (byte)31)] byte a2,
        [ConstantExpected(Max = (byte)31)] byte b0, [ConstantExpected(Max = (byte)31)] byte b1, [ConstantExpected(Max = (byte)31)] byte b2)
        where TOps : struct, IInt8Lanes<TVec>
        where TVec : struct
    {
        (TVec l0a, TVec r0a) = PairMax<TOps, TVec>(m + cb + ((long)p * 6 * stride), stride, inverse9, a0, a1, a2);
        (TVec l1a, TVec r1a) = PairMax<TOps, TVec>(m + cb + ((long)(p + 1) * 6 * stride), stride, inverse9, b0, b1, b2);
        (TVec l0b, TVec r0b) = PairMax<TOps, TVec>(m + cb + TOps.Lanes + ((long)p * 6 * stride), stride, inverse9, a0, a1, a2);
        (TVec l1b, TVec r1b) = PairMax<TOps, TVec>(m + cb + TOps.Lanes + ((long)(p + 1) * 6 * stride), stride, inverse9, b0, b1, b2);
        Int8Simd.Store<TOps, TVec>(rk, cb, TOps.Max(l0a, l1a), TOps.Max(l0b, l1b), pixel, cout);
        Int8Simd.Store<TOps, TVec>(rk, cb, TOps.Max(r0a, r1a), TOps.Max(r0b, r1b), pixel + cout, cout);
    }

    /// <summary>
    /// Y of one row's left and right pixel pairs, each pair's maximum; the row's pixels carry 2^k0, 2^k1, 2^k2, 2^k2
    /// times Y (A' rows divided by 1, 2, 4, 4). The scaled values are exact in int32, so a pair of equal
    /// scale takes its maximum before the shift.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (TVec Left, TVec Right) PairMax<TOps, TVec>(int* z, int stride, TVec inverse9,
        [ConstantExpected(Max = (byte)31)] byte k0, [ConstantExpected(Max = (byte)31)] byte k1, [ConstantExpected(Max = (byte)31)] byte k2)
        where TOps : struct, IInt8Lanes<TVec>
        where TVec : struct
    {
        (TVec y0, TVec y1, TVec y2, TVec y3) = RowPass<TOps, TVec>(z, stride, inverse9);
        return (TOps.Max(TOps.ShiftRightArithmetic(y0, k0), TOps.ShiftRightArithmetic(y1, k1)), TOps.ShiftRightArithmetic(TOps.Max(y2, y3), k2));
    }

    /// <summary>
    /// A' down each of the 6 columns b of M (positions a·6 + b, a = 0..5), written in place over rows 0..3 (Z = A' M).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ColumnPass<TOps, TVec>(int* m, int stride)
        where TOps : struct, IInt8Lanes<TVec>
        where TVec : struct
    {
        long s = stride, r = 6L * stride;
        for (int b = 0; b < 6; b++)
        {
            int* c = m + (b * s);
            (TVec z0, TVec z1, TVec z2, TVec z3) = Combine<TOps, TVec>(TOps.Load(c), TOps.Load(c + r), TOps.Load(c + (2 * r)),
                TOps.Load(c + (3 * r)), TOps.Load(c + (4 * r)), TOps.Load(c + (5 * r)));
            TOps.Store(c, z0);
            TOps.Store(c + r, z1);
            TOps.Store(c + (2 * r), z2);
            TOps.Store(c + (3 * r), z3);
        }
    }

    /// <summary>A' (rows divided by 1, 2, 4, 4) along one row of Z (positions p·6 + 0..5), times inv9: the row's four pixels' Y, each times its power of two (exact).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (TVec Y0, TVec Y1, TVec Y2, TVec Y3) RowPass<TOps, TVec>(int* z, int stride, TVec inverse9)
        where TOps : struct, IInt8Lanes<TVec>
        where TVec : struct
    {
        long s = stride;
        (TVec y0, TVec y1, TVec y2, TVec y3) = Combine<TOps, TVec>(TOps.Load(z), TOps.Load(z + s), TOps.Load(z + (2 * s)),
            TOps.Load(z + (3 * s)), TOps.Load(z + (4 * s)), TOps.Load(z + (5 * s)));
        return (TOps.MultiplyLow(y0, inverse9), TOps.MultiplyLow(y1, inverse9), TOps.MultiplyLow(y2, inverse9), TOps.MultiplyLow(y3, inverse9));
    }

    /// <summary>
    /// A' = [6 4 4 1 1 0; 0 4 −4 2 −2 0; 0 4 4 4 4 0; 0 4 −4 8 −8 24] on m0..m5 with its rows divided by 1, 2, 4, 4
    /// (see the class summary): shifts and adds, modulo 2^32.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (TVec Z0, TVec Z1, TVec Z2, TVec Z3) Combine<TOps, TVec>(TVec m0, TVec m1, TVec m2, TVec m3, TVec m4, TVec m5)
        where TOps : struct, IInt8Lanes<TVec>
        where TVec : struct
    {
        TVec s12 = TOps.Add(m1, m2), d12 = TOps.Subtract(m1, m2), s34 = TOps.Add(m3, m4), d34 = TOps.Subtract(m3, m4);
        TVec three0 = TOps.Add(m0, TOps.ShiftLeft(m0, 1)), three5 = TOps.Add(m5, TOps.ShiftLeft(m5, 1));
        TVec z0 = TOps.Add(TOps.ShiftLeft(TOps.Add(three0, TOps.ShiftLeft(s12, 1)), 1), s34); // 6m0 + 4s12 + s34
        TVec z1 = TOps.Add(TOps.ShiftLeft(d12, 1), d34);                                      // (4d12 + 2d34) / 2
        TVec z2 = TOps.Add(s12, s34);                                                          // (4s12 + 4s34) / 4
        TVec z3 = TOps.Add(d12, TOps.ShiftLeft(TOps.Add(d34, three5), 1));                    // (4d12 + 8d34 + 24m5) / 4
        return (z0, z1, z2, z3);
    }
}
