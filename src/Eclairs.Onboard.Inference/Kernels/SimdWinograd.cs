using System.Runtime.CompilerServices;

namespace Eclairs.Onboard.Inference;

/// <summary>
/// Winograd F(2x2, 3x3) convolution (see <see cref="Winograd"/>), vectorised over channels. Tiles go in groups of
/// 4 so that, in the 16 small matrix products, each transformed weight vector serves 4 tiles (the same register
/// tile shape as the direct kernel: 4 tiles x up to <see cref="ConvArguments.TileVectors"/> vectors of output channels).
/// </summary>
internal static unsafe class SimdWinograd<TOps, TVec>
    where TOps : struct, IVectorOps<TVec>
    where TVec : struct
{
    private const int Group = 4;

    /// <param name="a">The convolution (pre-padded input, 'valid' geometry, even output size).</param>
    /// <param name="transformed">U [16][cin][cout].</param>
    /// <param name="workspace">At least <see cref="Winograd.WorkspaceSize"/> floats.</param>
    public static void Run(in ConvArguments a, float* transformed, float* workspace)
    {
        int cin = a.InputChannels, cout = a.OutputChannels;
        int tilesW = (WinogradEdgeTiles.CoveredWidth(a) + 1) / 2;
        int tiles = ((WinogradEdgeTiles.CoveredHeight(a) + 1) / 2) * tilesW;
        float* v = workspace;                       // [Group][16][cin]
        float* m = workspace + (Group * 16 * cin);  // [Group][16][cout]
        float* patch = m + (Group * 16 * cout);     // edge tiles: [4][4][cin] input, then [2][2][cout] output
        float* staged = patch + (16 * cin);
        for (int first = 0; first < tiles; first += Group)
        {
            // A last partial group repeats its last tile: same values written twice, no branch in the products.
            for (int t = 0; t < Group; t++)
            {
                int tile = System.Math.Min(first + t, tiles - 1);
                int ty = tile / tilesW, tx = tile % tilesW;
                if (WinogradEdgeTiles.IsEdge(a, 2, ty, tx))
                {
                    InputTransform(patch, WinogradEdgeTiles.StageInput(a, 2, ty, tx, patch), cin, v + (t * 16 * cin));
                }
                else
                {
                    float* d = a.Input + ((((long)2 * ty * a.InputWidth) + (2 * tx)) * cin);
                    InputTransform(d, (long)a.InputWidth * cin, cin, v + (t * 16 * cin));
                }
            }
            for (int xi = 0; xi < 16; xi++)
            {
                Products(v + (xi * cin), transformed + ((long)xi * cin * cout), cin, cout, m + (xi * cout), a.TileVectors, 16);
            }
            for (int t = 0; t < Group; t++)
            {
                int tile = System.Math.Min(first + t, tiles - 1);
                int ty = tile / tilesW, tx = tile % tilesW;
                if (WinogradEdgeTiles.IsEdge(a, 2, ty, tx))
                {
                    OutputTransform(WinogradEdgeTiles.StagedOutput(a, 2, staged), m + (t * 16 * cout), 0, 0);
                    WinogradEdgeTiles.CopyOutput(a, 2, ty, tx, staged);
                }
                else
                {
                    OutputTransform(a, m + (t * 16 * cout), ty, tx);
                }
            }
        }
    }

    /// <summary>V = Bᵀ d B for every input channel of one 4x4 patch; V stored [16][cin].</summary>
    private static void InputTransform(float* d, long rowStride, int cin, float* v)
    {
        int w = TOps.Count;
        float* d1p = d + rowStride, d2p = d + (2 * rowStride), d3p = d + (3 * rowStride);
        int c1 = cin, c2 = 2 * cin, c3 = 3 * cin;
        int ci = 0;
        for (; ci + w <= cin; ci += w)
        {
            // Bᵀ on the columns (over rows), then on the rows (over columns).
            Bt(TOps.Load(d + ci), TOps.Load(d1p + ci), TOps.Load(d2p + ci), TOps.Load(d3p + ci), out TVec r00, out TVec r10, out TVec r20, out TVec r30);
            Bt(TOps.Load(d + c1 + ci), TOps.Load(d1p + c1 + ci), TOps.Load(d2p + c1 + ci), TOps.Load(d3p + c1 + ci), out TVec r01, out TVec r11, out TVec r21, out TVec r31);
            Bt(TOps.Load(d + c2 + ci), TOps.Load(d1p + c2 + ci), TOps.Load(d2p + c2 + ci), TOps.Load(d3p + c2 + ci), out TVec r02, out TVec r12, out TVec r22, out TVec r32);
            Bt(TOps.Load(d + c3 + ci), TOps.Load(d1p + c3 + ci), TOps.Load(d2p + c3 + ci), TOps.Load(d3p + c3 + ci), out TVec r03, out TVec r13, out TVec r23, out TVec r33);
            StoreRow(v + ci, 0, cin, r00, r01, r02, r03);
            StoreRow(v + ci, 1, cin, r10, r11, r12, r13);
            StoreRow(v + ci, 2, cin, r20, r21, r22, r23);
            StoreRow(v + ci, 3, cin, r30, r31, r32, r33);
        }
        for (; ci < cin; ci++)
        {
            for (int i = 0; i < 4; i++)
            {
                // Row i of Bᵀ d, for the 4 columns.
                float e0 = BtRow(i, d[ci], d1p[ci], d2p[ci], d3p[ci]);
                float e1 = BtRow(i, d[c1 + ci], d1p[c1 + ci], d2p[c1 + ci], d3p[c1 + ci]);
                float e2 = BtRow(i, d[c2 + ci], d1p[c2 + ci], d2p[c2 + ci], d3p[c2 + ci]);
                float e3 = BtRow(i, d[c3 + ci], d1p[c3 + ci], d2p[c3 + ci], d3p[c3 + ci]);
                for (int j = 0; j < 4; j++)
                {
                    v[((4 * i + j) * cin) + ci] = BtRow(j, e0, e1, e2, e3);
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Bt(TVec x0, TVec x1, TVec x2, TVec x3, out TVec y0, out TVec y1, out TVec y2, out TVec y3)
    {
        y0 = TOps.Subtract(x0, x2);
        y1 = TOps.Add(x1, x2);
        y2 = TOps.Subtract(x2, x1);
        y3 = TOps.Subtract(x1, x3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow(float* v, int i, int cin, TVec e0, TVec e1, TVec e2, TVec e3)
    {
        Bt(e0, e1, e2, e3, out TVec y0, out TVec y1, out TVec y2, out TVec y3);
        TOps.Store(v + ((4 * i) * cin), y0);
        TOps.Store(v + (((4 * i) + 1) * cin), y1);
        TOps.Store(v + (((4 * i) + 2) * cin), y2);
        TOps.Store(v + (((4 * i) + 3) * cin), y3);
    }

    private static float BtRow(int row, float x0, float x1, float x2, float x3) => row switch
    {
        0 => x0 - x2,
        1 => x1 + x2,
        2 => x2 - x1,
        _ => x1 - x3,
    };

    /// <summary>
    /// M[t][ξ][co] = Σ_ci V[t][ξ][ci] U[ξ][ci][co] for the 4 tiles of the group, one ξ; a tile's V and M hold
    /// <paramref name="points"/> ξ (16 for F(2x2), 36 for F(4x4)).
    /// </summary>
    internal static void Products(float* v, float* u, int cin, int cout, float* m, int tileVectors, int points)
    {
        int w = TOps.Count;
        int co = 0;
        for (; tileVectors >= 4 && co + (4 * w) <= cout; co += 4 * w)
        {
            Block<FourVectors>(v, u + co, cin, cout, m + co, points);
        }
        if (tileVectors >= 4 && co + (3 * w) <= cout)
        {
            Block<ThreeVectors>(v, u + co, cin, cout, m + co, points);
            co += 3 * w;
        }
        for (; tileVectors >= 2 && co + (2 * w) <= cout; co += 2 * w)
        {
            Block<TwoVectors>(v, u + co, cin, cout, m + co, points);
        }
        for (; co + w <= cout; co += w)
        {
            Block<OneVector>(v, u + co, cin, cout, m + co, points);
        }
        for (; co < cout; co++)
        {
            for (int t = 0; t < Group; t++)
            {
                float sum = 0f;
                float* vt = v + (t * points * cin);
                for (int ci = 0; ci < cin; ci++)
                {
                    sum += vt[ci] * u[((long)ci * cout) + co];
                }
                m[(t * points * cout) + co] = sum;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Block<TWidth>(float* v, float* u, int cin, int cout, float* m, int points)
        where TWidth : struct, IBlockWidth
    {
        int w = TOps.Count;
        int n = TWidth.Vectors;
        int tileStride = points * cin;
        TVec c00 = TOps.Zero, c01 = TOps.Zero, c02 = TOps.Zero, c03 = TOps.Zero;
        TVec c10 = TOps.Zero, c11 = TOps.Zero, c12 = TOps.Zero, c13 = TOps.Zero;
        TVec c20 = TOps.Zero, c21 = TOps.Zero, c22 = TOps.Zero, c23 = TOps.Zero;
        TVec c30 = TOps.Zero, c31 = TOps.Zero, c32 = TOps.Zero, c33 = TOps.Zero;
        for (int ci = 0; ci < cin; ci++)
        {
            TVec w0 = TOps.Load(u);
            TVec w1 = n > 1 ? TOps.Load(u + w) : default;
            TVec w2 = n > 2 ? TOps.Load(u + (2 * w)) : default;
            TVec w3 = n > 3 ? TOps.Load(u + (3 * w)) : default;
            TVec x0 = TOps.Broadcast(v[ci]);
            TVec x1 = TOps.Broadcast(v[tileStride + ci]);
            TVec x2 = TOps.Broadcast(v[(2 * tileStride) + ci]);
            TVec x3 = TOps.Broadcast(v[(3 * tileStride) + ci]);
            c00 = TOps.MultiplyAdd(x0, w0, c00);
            c10 = TOps.MultiplyAdd(x1, w0, c10);
            c20 = TOps.MultiplyAdd(x2, w0, c20);
            c30 = TOps.MultiplyAdd(x3, w0, c30);
            if (n > 1)
            {
                c01 = TOps.MultiplyAdd(x0, w1, c01);
                c11 = TOps.MultiplyAdd(x1, w1, c11);
                c21 = TOps.MultiplyAdd(x2, w1, c21);
                c31 = TOps.MultiplyAdd(x3, w1, c31);
            }
            if (n > 2)
            {
                c02 = TOps.MultiplyAdd(x0, w2, c02);
                c12 = TOps.MultiplyAdd(x1, w2, c12);
                c22 = TOps.MultiplyAdd(x2, w2, c22);
                c32 = TOps.MultiplyAdd(x3, w2, c32);
            }
            if (n > 3)
            {
                c03 = TOps.MultiplyAdd(x0, w3, c03);
                c13 = TOps.MultiplyAdd(x1, w3, c13);
                c23 = TOps.MultiplyAdd(x2, w3, c23);
                c33 = TOps.MultiplyAdd(x3, w3, c33);
            }
            u += cout;
        }
        int mStride = points * cout;
        StoreBlock(m, c00, c01, c02, c03, n);
        StoreBlock(m + mStride, c10, c11, c12, c13, n);
        StoreBlock(m + (2 * mStride), c20, c21, c22, c23, n);
        StoreBlock(m + (3 * mStride), c30, c31, c32, c33, n);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreBlock(float* m, TVec c0, TVec c1, TVec c2, TVec c3, int n)
    {
        int w = TOps.Count;
        TOps.Store(m, c0);
        if (n > 1)
        {
            TOps.Store(m + w, c1);
        }
        if (n > 2)
        {
            TOps.Store(m + (2 * w), c2);
        }
        if (n > 3)
        {
            TOps.Store(m + (3 * w), c3);
        }
    }

    /// <summary>Y = Aᵀ M A + bias for one tile, then ReLU and either the 2x2 outputs or their max (fused pooling).</summary>
    private static void OutputTransform(in ConvArguments a, float* m, int ty, int tx)
    {
        int w = TOps.Count;
        int cout = a.OutputChannels;
        float* pooled = a.Output + ((long)ty * a.OutputRowStride) + (tx * cout);
        float* y0 = a.Output + ((long)2 * ty * a.OutputRowStride) + (2 * tx * cout);
        float* y1 = y0 + a.OutputRowStride;
        float* m1 = m + (4 * cout), m2 = m + (8 * cout), m3 = m + (12 * cout);
        int co = 0;
        for (; co + w <= cout; co += w)
        {
            // Aᵀ over rows a for each column b, then over columns.
            At(TOps.Load(m + co), TOps.Load(m1 + co), TOps.Load(m2 + co), TOps.Load(m3 + co), out TVec s00, out TVec s10);
            At(TOps.Load(m + cout + co), TOps.Load(m1 + cout + co), TOps.Load(m2 + cout + co), TOps.Load(m3 + cout + co), out TVec s01, out TVec s11);
            At(TOps.Load(m + (2 * cout) + co), TOps.Load(m1 + (2 * cout) + co), TOps.Load(m2 + (2 * cout) + co), TOps.Load(m3 + (2 * cout) + co), out TVec s02, out TVec s12);
            At(TOps.Load(m + (3 * cout) + co), TOps.Load(m1 + (3 * cout) + co), TOps.Load(m2 + (3 * cout) + co), TOps.Load(m3 + (3 * cout) + co), out TVec s03, out TVec s13);
            At(s00, s01, s02, s03, out TVec o00, out TVec o01);
            At(s10, s11, s12, s13, out TVec o10, out TVec o11);
            TVec bias = TOps.Load(a.Bias + co);
            o00 = TOps.Add(o00, bias);
            o01 = TOps.Add(o01, bias);
            o10 = TOps.Add(o10, bias);
            o11 = TOps.Add(o11, bias);
            if (a.Pool)
            {
                TVec p = TOps.Max(TOps.Max(o00, o01), TOps.Max(o10, o11));
                TOps.Store(pooled + co, a.Relu ? TOps.Max(p, TOps.Zero) : p);
            }
            else
            {
                if (a.Relu)
                {
                    o00 = TOps.Max(o00, TOps.Zero);
                    o01 = TOps.Max(o01, TOps.Zero);
                    o10 = TOps.Max(o10, TOps.Zero);
                    o11 = TOps.Max(o11, TOps.Zero);
                }
                TOps.Store(y0 + co, o00);
                TOps.Store(y0 + cout + co, o01);
                TOps.Store(y1 + co, o10);
                TOps.Store(y1 + cout + co, o11);
            }
        }
        for (; co < cout; co++)
        {
            float s00 = m[co] + m1[co] + m2[co], s10 = m1[co] - m2[co] - m3[co];
            float s01 = m[cout + co] + m1[cout + co] + m2[cout + co], s11 = m1[cout + co] - m2[cout + co] - m3[cout + co];
            float s02 = m[(2 * cout) + co] + m1[(2 * cout) + co] + m2[(2 * cout) + co], s12 = m1[(2 * cout) + co] - m2[(2 * cout) + co] - m3[(2 * cout) + co];
            float s03 = m[(3 * cout) + co] + m1[(3 * cout) + co] + m2[(3 * cout) + co], s13 = m1[(3 * cout) + co] - m2[(3 * cout) + co] - m3[(3 * cout) + co];
            float bias = a.Bias[co];
            float o00 = s00 + s01 + s02 + bias, o01 = s01 - s02 - s03 + bias;
            float o10 = s10 + s11 + s12 + bias, o11 = s11 - s12 - s13 + bias;
            if (a.Pool)
            {
                float p = System.MathF.Max(System.MathF.Max(o00, o01), System.MathF.Max(o10, o11));
                pooled[co] = a.Relu ? System.MathF.Max(p, 0f) : p;
            }
            else
            {
                y0[co] = a.Relu ? System.MathF.Max(o00, 0f) : o00;
                y0[cout + co] = a.Relu ? System.MathF.Max(o01, 0f) : o01;
                y1[co] = a.Relu ? System.MathF.Max(o10, 0f) : o10;
                y1[cout + co] = a.Relu ? System.MathF.Max(o11, 0f) : o11;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void At(TVec x0, TVec x1, TVec x2, TVec x3, out TVec y0, out TVec y1)
    {
        y0 = TOps.Add(TOps.Add(x0, x1), x2);
        y1 = TOps.Subtract(TOps.Subtract(x1, x2), x3);
    }
}
