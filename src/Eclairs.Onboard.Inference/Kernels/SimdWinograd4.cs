using System.Runtime.CompilerServices;

namespace Eclairs.Onboard.Inference;

/// <summary>
/// Winograd F(4x4, 3x3) convolution (see <see cref="Winograd4"/>), vectorised over channels: groups of 4 tiles, and
/// the 36 small matrix products are <see cref="SimdWinograd{TOps, TVec}"/>'s (the same register tile). Each transform
/// runs in two passes through the tile's workspace (columns, then rows in place), so no 6x6 block of vectors has to
/// live in registers.
/// </summary>
internal static unsafe class SimdWinograd4<TOps, TVec>
    where TOps : struct, IVectorOps<TVec>
    where TVec : struct
{
    private const int Group = 4;
    private const int Points = Winograd4.Points;

    /// <param name="a">The convolution (pre-padded input, 'valid' geometry, output height and width multiples of 4).</param>
    /// <param name="transformed">U [36][cin][cout].</param>
    /// <param name="workspace">At least <see cref="Winograd4.WorkspaceSize"/> floats.</param>
    public static void Run(in ConvArguments a, float* transformed, float* workspace)
    {
        int cin = a.InputChannels, cout = a.OutputChannels;
        int tilesW = (WinogradEdgeTiles.CoveredWidth(a) + 3) / 4;
        int tiles = ((WinogradEdgeTiles.CoveredHeight(a) + 3) / 4) * tilesW;
        float* v = workspace;                           // [Group][36][cin]
        float* m = workspace + (Group * Points * cin);  // [Group][36][cout]
        float* patch = m + (Group * Points * cout);     // edge tiles: [6][6][cin] input, then [4][4][cout] output
        float* staged = patch + (Points * cin);
        for (int first = 0; first < tiles; first += Group)
        {
            // A last partial group repeats its last tile: same values written twice, no branch in the products.
            for (int t = 0; t < Group; t++)
            {
                int tile = System.Math.Min(first + t, tiles - 1);
                int ty = tile / tilesW, tx = tile % tilesW;
                if (WinogradEdgeTiles.IsEdge(a, 4, ty, tx))
                {
                    InputTransform(patch, WinogradEdgeTiles.StageInput(a, 4, ty, tx, patch), cin, v + (t * Points * cin));
                }
                else
                {
                    float* d = a.Input + ((((long)4 * ty * a.InputWidth) + (4 * tx)) * cin);
                    InputTransform(d, (long)a.InputWidth * cin, cin, v + (t * Points * cin));
                }
            }
            for (int xi = 0; xi < Points; xi++)
            {
                SimdWinograd<TOps, TVec>.Products(v + (xi * cin), transformed + ((long)xi * cin * cout), cin, cout, m + (xi * cout), a.TileVectors, Points);
            }
            for (int t = 0; t < Group; t++)
            {
                int tile = System.Math.Min(first + t, tiles - 1);
                int ty = tile / tilesW, tx = tile % tilesW;
                if (WinogradEdgeTiles.IsEdge(a, 4, ty, tx))
                {
                    OutputTransform(WinogradEdgeTiles.StagedOutput(a, 4, staged), m + (t * Points * cout), 0, 0);
                    WinogradEdgeTiles.CopyOutput(a, 4, ty, tx, staged);
                }
                else
                {
                    OutputTransform(a, m + (t * Points * cout), ty, tx);
                }
            }
        }
    }

    /// <summary>V = Bᵀ d B for every input channel of one 6x6 patch; V stored [36][cin].</summary>
    private static void InputTransform(float* d, long rowStride, int cin, float* v)
    {
        int w = TOps.Count;
        int ci = 0;
        for (; ci + w <= cin; ci += w)
        {
            // Bᵀ over the rows of each column j into slots (i, j), then over the columns of each row i, in place.
            for (int j = 0; j < 6; j++)
            {
                float* c = d + (j * cin) + ci;
                Bt(TOps.Load(c), TOps.Load(c + rowStride), TOps.Load(c + (2 * rowStride)), TOps.Load(c + (3 * rowStride)),
                    TOps.Load(c + (4 * rowStride)), TOps.Load(c + (5 * rowStride)), v + ci + (j * cin), 6 * cin);
            }
            for (int i = 0; i < 6; i++)
            {
                float* r = v + ci + (6 * i * cin);
                Bt(TOps.Load(r), TOps.Load(r + cin), TOps.Load(r + (2 * cin)), TOps.Load(r + (3 * cin)), TOps.Load(r + (4 * cin)),
                    TOps.Load(r + (5 * cin)), r, cin);
            }
        }
        for (; ci < cin; ci++)
        {
            for (int j = 0; j < 6; j++)
            {
                float* c = d + (j * cin) + ci;
                BtScalar(c[0], c[rowStride], c[2 * rowStride], c[3 * rowStride], c[4 * rowStride], c[5 * rowStride], v + ci + (j * cin), 6 * cin);
            }
            for (int i = 0; i < 6; i++)
            {
                float* r = v + ci + (6 * i * cin);
                BtScalar(r[0], r[cin], r[2 * cin], r[3 * cin], r[4 * cin], r[5 * cin], r, cin);
            }
        }
    }

    /// <summary>y = Bᵀ x, stored at <paramref name="y"/> + k·<paramref name="stride"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Bt(TVec x0, TVec x1, TVec x2, TVec x3, TVec x4, TVec x5, float* y, long stride)
    {
        TVec four = TOps.Broadcast(4f), minus4 = TOps.Broadcast(-4f), minus5 = TOps.Broadcast(-5f);
        TVec two = TOps.Broadcast(2f), minus2 = TOps.Broadcast(-2f);
        TVec s12 = TOps.Subtract(x4, x2);                                   // x4 - x2
        TVec a = TOps.Subtract(x3, x1);                                     // x3 - x1
        TVec b = TOps.MultiplyAdd(minus4, x2, x4);                          // x4 - 4x2
        TVec c = TOps.MultiplyAdd(minus4, x1, x3);                          // x3 - 4x1
        TOps.Store(y, TOps.MultiplyAdd(four, x0, TOps.MultiplyAdd(minus5, x2, x4)));
        TOps.Store(y + stride, TOps.Add(b, c));
        TOps.Store(y + (2 * stride), TOps.Subtract(b, c));
        TOps.Store(y + (3 * stride), TOps.MultiplyAdd(two, a, s12));
        TOps.Store(y + (4 * stride), TOps.MultiplyAdd(minus2, a, s12));
        TOps.Store(y + (5 * stride), TOps.MultiplyAdd(four, x1, TOps.MultiplyAdd(minus5, x3, x5)));
    }

    private static void BtScalar(float x0, float x1, float x2, float x3, float x4, float x5, float* y, long stride)
    {
        float s12 = x4 - x2, a = x3 - x1, b = x4 - (4f * x2), c = x3 - (4f * x1);
        y[0] = (4f * x0) - (5f * x2) + x4;
        y[stride] = b + c;
        y[2 * stride] = b - c;
        y[3 * stride] = s12 + (2f * a);
        y[4 * stride] = s12 - (2f * a);
        y[5 * stride] = (4f * x1) - (5f * x3) + x5;
    }

    /// <summary>Y = Aᵀ M A + bias for one tile, then ReLU and either the 4x4 outputs or their four 2x2 maxima (fused pooling).</summary>
    private static void OutputTransform(in ConvArguments a, float* m, int ty, int tx)
    {
        int w = TOps.Count;
        int cout = a.OutputChannels;
        long stride6 = 6L * cout;
        int co = 0;
        for (; co + w <= cout; co += w)
        {
            // Aᵀ over the rows of each column j into slots (0..3, j), then over the columns of each row, from the slots.
            for (int j = 0; j < 6; j++)
            {
                float* c = m + (j * cout) + co;
                At(TOps.Load(c), TOps.Load(c + stride6), TOps.Load(c + (2 * stride6)), TOps.Load(c + (3 * stride6)), TOps.Load(c + (4 * stride6)),
                    TOps.Load(c + (5 * stride6)), out TVec s0, out TVec s1, out TVec s2, out TVec s3);
                TOps.Store(c, s0);
                TOps.Store(c + stride6, s1);
                TOps.Store(c + (2 * stride6), s2);
                TOps.Store(c + (3 * stride6), s3);
            }
            TVec bias = TOps.Load(a.Bias + co);
            if (a.Pool)
            {
                for (int r = 0; r < 4; r += 2)
                {
                    Row(m + co + (r * stride6), cout, bias, out TVec y00, out TVec y01, out TVec y02, out TVec y03);
                    Row(m + co + ((r + 1) * stride6), cout, bias, out TVec y10, out TVec y11, out TVec y12, out TVec y13);
                    float* o = a.Output + ((long)((2 * ty) + (r / 2)) * a.OutputRowStride) + (2 * tx * cout) + co;
                    TVec p0 = TOps.Max(TOps.Max(y00, y01), TOps.Max(y10, y11));
                    TVec p1 = TOps.Max(TOps.Max(y02, y03), TOps.Max(y12, y13));
                    TOps.Store(o, a.Relu ? TOps.Max(p0, TOps.Zero) : p0);
                    TOps.Store(o + cout, a.Relu ? TOps.Max(p1, TOps.Zero) : p1);
                }
            }
            else
            {
                for (int r = 0; r < 4; r++)
                {
                    Row(m + co + (r * stride6), cout, bias, out TVec y0, out TVec y1, out TVec y2, out TVec y3);
                    float* o = a.Output + ((long)((4 * ty) + r) * a.OutputRowStride) + (4 * tx * cout) + co;
                    if (a.Relu)
                    {
                        y0 = TOps.Max(y0, TOps.Zero);
                        y1 = TOps.Max(y1, TOps.Zero);
                        y2 = TOps.Max(y2, TOps.Zero);
                        y3 = TOps.Max(y3, TOps.Zero);
                    }
                    TOps.Store(o, y0);
                    TOps.Store(o + cout, y1);
                    TOps.Store(o + (2 * cout), y2);
                    TOps.Store(o + (3 * cout), y3);
                }
            }
        }
        float* y = stackalloc float[16];
        for (; co < cout; co++)
        {
            for (int j = 0; j < 6; j++)
            {
                float* c = m + (j * cout) + co;
                AtScalar(c[0], c[stride6], c[2 * stride6], c[3 * stride6], c[4 * stride6], c[5 * stride6], c, stride6);
            }
            for (int r = 0; r < 4; r++)
            {
                float* s = m + co + (r * stride6);
                AtScalar(s[0], s[cout], s[2 * cout], s[3 * cout], s[4 * cout], s[5 * cout], y + (4 * r), 1);
            }
            float bias = a.Bias[co];
            for (int i = 0; i < 16; i++)
            {
                y[i] += bias;
            }
            if (a.Pool)
            {
                for (int r = 0; r < 4; r += 2)
                {
                    for (int c = 0; c < 4; c += 2)
                    {
                        float p = System.MathF.Max(System.MathF.Max(y[(4 * r) + c], y[(4 * r) + c + 1]), System.MathF.Max(y[(4 * (r + 1)) + c], y[(4 * (r + 1)) + c + 1]));
                        a.Output[((long)((2 * ty) + (r / 2)) * a.OutputRowStride) + (((2 * tx) + (c / 2)) * cout) + co] = a.Relu ? System.MathF.Max(p, 0f) : p;
                    }
                }
            }
            else
            {
                for (int r = 0; r < 4; r++)
                {
                    for (int c = 0; c < 4; c++)
                    {
                        float o = y[(4 * r) + c];
                        a.Output[((long)((4 * ty) + r) * a.OutputRowStride) + (((4 * tx) + c) * cout) + co] = a.Relu ? System.MathF.Max(o, 0f) : o;
                    }
                }
            }
        }
    }

    /// <summary>Aᵀ over the 6 columns of one row of slots (<paramref name="cout"/> apart), plus the bias.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Row(float* s, int cout, TVec bias, out TVec y0, out TVec y1, out TVec y2, out TVec y3)
    {
        At(TOps.Load(s), TOps.Load(s + cout), TOps.Load(s + (2 * cout)), TOps.Load(s + (3 * cout)), TOps.Load(s + (4 * cout)), TOps.Load(s + (5 * cout)),
            out y0, out y1, out y2, out y3);
        y0 = TOps.Add(y0, bias);
        y1 = TOps.Add(y1, bias);
        y2 = TOps.Add(y2, bias);
        y3 = TOps.Add(y3, bias);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void At(TVec x0, TVec x1, TVec x2, TVec x3, TVec x4, TVec x5, out TVec y0, out TVec y1, out TVec y2, out TVec y3)
    {
        TVec p12 = TOps.Add(x1, x2), m12 = TOps.Subtract(x1, x2), p34 = TOps.Add(x3, x4), m34 = TOps.Subtract(x3, x4);
        y0 = TOps.Add(TOps.Add(x0, p12), p34);
        y1 = TOps.MultiplyAdd(TOps.Broadcast(2f), m34, m12);
        y2 = TOps.MultiplyAdd(TOps.Broadcast(4f), p34, p12);
        y3 = TOps.Add(TOps.MultiplyAdd(TOps.Broadcast(8f), m34, m12), x5);
    }

    private static void AtScalar(float x0, float x1, float x2, float x3, float x4, float x5, float* y, long stride)
    {
        float p12 = x1 + x2, m12 = x1 - x2, p34 = x3 + x4, m34 = x3 - x4;
        y[0] = x0 + p12 + p34;
        y[stride] = m12 + (2f * m34);
        y[2 * stride] = p12 + (4f * p34);
        y[3 * stride] = m12 + (8f * m34) + x5;
    }
}
