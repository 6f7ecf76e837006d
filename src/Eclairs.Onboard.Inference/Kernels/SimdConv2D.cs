using System.Runtime.CompilerServices;

namespace Eclairs.Onboard.Inference;

/// <summary>
/// Convolution vectorised over output channels. Each output pixel is a sum of kh·kw·cin rank-1 updates
/// (one input value broadcast times one row of cout weights). A register tile holds 4 output pixels by up to
/// 4 vectors of channels (16 accumulators; at most <see cref="ConvArguments.TileVectors"/>, 2 where the ISA has only
/// 16 vector registers), so each weight vector loaded serves 4 pixels and each broadcast serves up
/// to 4 vectors. For a fixed kernel row, the kw·cin taps of a pixel are contiguous in NHWC input and in HWIO weights,
/// so the inner loop is a single run of length kw·cin. Input is padded beforehand: no border tests inside.
/// Without pooling the 4 pixels lie in one row; with fused 2x2 max pooling they are the 2x2 window of one pooled
/// pixel, reduced by max in registers, so the full-resolution output is never written.
/// </summary>
internal static unsafe class SimdConv2D<TOps, TVec>
    where TOps : struct, IVectorOps<TVec>
    where TVec : struct
{
    public static void Run(in ConvArguments a)
    {
        if (a.Pool)
        {
            RunPooled(a);
        }
        else
        {
            RunRows(a);
        }
    }

    private static void RunRows(in ConvArguments a)
    {
        int cout = a.OutputChannels;
        int cin = a.InputChannels;
        for (int oy = 0; oy < a.OutputHeight; oy++)
        {
            float* inRow = a.Input + ((long)oy * a.InputWidth * cin);
            float* outRow = a.Output + ((long)oy * a.OutputRowStride);
            int ox = 0;
            for (; ox + 4 <= a.OutputWidth; ox += 4)
            {
                Channels<Row>(a, inRow + (ox * cin), cin, 2 * cin, 3 * cin, outRow + (ox * cout), 4);
            }
            // The 1-3 pixels left of the row run as a 4-pixel tile whose missing pixels repeat the last one (computed,
            // not stored): a weight vector still serves every pixel, where one pixel at a time would load it per pixel.
            int left = a.OutputWidth - ox;
            if (left > 0)
            {
                Channels<Row>(a, inRow + (ox * cin), System.Math.Min(1, left - 1) * cin, System.Math.Min(2, left - 1) * cin,
                    (left - 1) * cin, outRow + (ox * cout), left);
            }
        }
    }

    private static void RunPooled(in ConvArguments a)
    {
        int cout = a.OutputChannels;
        int cin = a.InputChannels;
        int rowStride = a.InputWidth * cin;
        for (int py = 0; py < a.OutputHeight / 2; py++)
        {
            for (int px = 0; px < a.OutputWidth / 2; px++)
            {
                float* x = a.Input + ((long)2 * py * rowStride) + (2 * px * cin);
                float* o = a.Output + ((long)py * a.OutputRowStride) + (px * cout);
                Channels<Pooled>(a, x, cin, rowStride, rowStride + cin, o, 4);
            }
        }
    }

    /// <summary>
    /// Every output channel of one 4-pixel tile (input offsets 0, d1, d2, d3), in blocks of 4, 3 (where 32 registers
    /// hold 12 accumulators), 2 and 1 vectors, then a scalar tail; a row tile stores its first <paramref name="pixels"/>.
    /// </summary>
    private static void Channels<TEpilogue>(in ConvArguments a, float* x, int d1, int d2, int d3, float* o, int pixels)
        where TEpilogue : struct, IEpilogue
    {
        int v = TOps.Count;
        int cout = a.OutputChannels;
        int co = 0;
        for (; a.TileVectors >= 4 && co + (4 * v) <= cout; co += 4 * v)
        {
            Tile<FourVectors, TEpilogue>(a, x, d1, d2, d3, o, co, pixels);
        }
        if (a.TileVectors >= 4 && co + (3 * v) <= cout)
        {
            Tile<ThreeVectors, TEpilogue>(a, x, d1, d2, d3, o, co, pixels);
            co += 3 * v;
        }
        for (; a.TileVectors >= 2 && co + (2 * v) <= cout; co += 2 * v)
        {
            Tile<TwoVectors, TEpilogue>(a, x, d1, d2, d3, o, co, pixels);
        }
        for (; co + v <= cout; co += v)
        {
            Tile<OneVector, TEpilogue>(a, x, d1, d2, d3, o, co, pixels);
        }
        for (; co < cout; co++)
        {
            if (TEpilogue.Pool)
            {
                float m = System.MathF.Max(
                    System.MathF.Max(ScalarChannel(a, x, co), ScalarChannel(a, x + d1, co)),
                    System.MathF.Max(ScalarChannel(a, x + d2, co), ScalarChannel(a, x + d3, co)));
                o[co] = Finish(a, m);
            }
            else
            {
                o[co] = Finish(a, ScalarChannel(a, x, co));
                if (pixels > 1)
                {
                    o[cout + co] = Finish(a, ScalarChannel(a, x + d1, co));
                }
                if (pixels > 2)
                {
                    o[(2 * cout) + co] = Finish(a, ScalarChannel(a, x + d2, co));
                }
                if (pixels > 3)
                {
                    o[(3 * cout) + co] = Finish(a, ScalarChannel(a, x + d3, co));
                }
            }
        }
    }

    /// <summary>4 pixels (input offsets 0, d1, d2, d3) by TWidth vectors of channels starting at <paramref name="co"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile<TWidth, TEpilogue>(in ConvArguments a, float* x0, int d1, int d2, int d3, float* o, int co, int pixels)
        where TWidth : struct, IBlockWidth
        where TEpilogue : struct, IEpilogue
    {
        int v = TOps.Count;
        int n = TWidth.Vectors;
        int cout = a.OutputChannels, k = a.Kernel;
        int run = k * a.InputChannels;
        long rowStride = (long)a.InputWidth * a.InputChannels;
        float* b = a.Bias + co;
        TVec c00 = TOps.Load(b), c01 = n > 1 ? TOps.Load(b + v) : TOps.Zero;
        TVec c02 = n > 2 ? TOps.Load(b + (2 * v)) : TOps.Zero, c03 = n > 3 ? TOps.Load(b + (3 * v)) : TOps.Zero;
        TVec c10 = c00, c11 = c01, c12 = c02, c13 = c03;
        TVec c20 = c00, c21 = c01, c22 = c02, c23 = c03;
        TVec c30 = c00, c31 = c01, c32 = c02, c33 = c03;
        float* w = a.Weights + co;
        for (int kh = 0; kh < k; kh++)
        {
            float* x = x0 + (kh * rowStride);
            for (int j = 0; j < run; j++)
            {
                TVec w0 = TOps.Load(w);
                TVec w1 = n > 1 ? TOps.Load(w + v) : default;
                TVec w2 = n > 2 ? TOps.Load(w + (2 * v)) : default;
                TVec w3 = n > 3 ? TOps.Load(w + (3 * v)) : default;
                TVec x0v = TOps.Broadcast(x[j]);
                TVec x1v = TOps.Broadcast(x[j + d1]);
                TVec x2v = TOps.Broadcast(x[j + d2]);
                TVec x3v = TOps.Broadcast(x[j + d3]);
                c00 = TOps.MultiplyAdd(x0v, w0, c00);
                c10 = TOps.MultiplyAdd(x1v, w0, c10);
                c20 = TOps.MultiplyAdd(x2v, w0, c20);
                c30 = TOps.MultiplyAdd(x3v, w0, c30);
                if (n > 1)
                {
                    c01 = TOps.MultiplyAdd(x0v, w1, c01);
                    c11 = TOps.MultiplyAdd(x1v, w1, c11);
                    c21 = TOps.MultiplyAdd(x2v, w1, c21);
                    c31 = TOps.MultiplyAdd(x3v, w1, c31);
                }
                if (n > 2)
                {
                    c02 = TOps.MultiplyAdd(x0v, w2, c02);
                    c12 = TOps.MultiplyAdd(x1v, w2, c12);
                    c22 = TOps.MultiplyAdd(x2v, w2, c22);
                    c32 = TOps.MultiplyAdd(x3v, w2, c32);
                }
                if (n > 3)
                {
                    c03 = TOps.MultiplyAdd(x0v, w3, c03);
                    c13 = TOps.MultiplyAdd(x1v, w3, c13);
                    c23 = TOps.MultiplyAdd(x2v, w3, c23);
                    c33 = TOps.MultiplyAdd(x3v, w3, c33);
                }
                w += cout;
            }
        }
        bool relu = a.Relu;
        o += co;
        if (TEpilogue.Pool)
        {
            // max commutes with ReLU, so pooling the pre-activation values and then applying ReLU is exact.
            Store(o, relu, TOps.Max(TOps.Max(c00, c10), TOps.Max(c20, c30)), TOps.Max(TOps.Max(c01, c11), TOps.Max(c21, c31)),
                TOps.Max(TOps.Max(c02, c12), TOps.Max(c22, c32)), TOps.Max(TOps.Max(c03, c13), TOps.Max(c23, c33)), n);
        }
        else
        {
            Store(o, relu, c00, c01, c02, c03, n);
            if (pixels > 1)
            {
                Store(o + cout, relu, c10, c11, c12, c13, n);
            }
            if (pixels > 2)
            {
                Store(o + (2 * cout), relu, c20, c21, c22, c23, n);
            }
            if (pixels > 3)
            {
                Store(o + (3 * cout), relu, c30, c31, c32, c33, n);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* o, bool relu, TVec c0, TVec c1, TVec c2, TVec c3, int n)
    {
        int v = TOps.Count;
        if (relu)
        {
            c0 = TOps.Max(c0, TOps.Zero);
            c1 = TOps.Max(c1, TOps.Zero);
            c2 = TOps.Max(c2, TOps.Zero);
            c3 = TOps.Max(c3, TOps.Zero);
        }
        TOps.Store(o, c0);
        if (n > 1)
        {
            TOps.Store(o + v, c1);
        }
        if (n > 2)
        {
            TOps.Store(o + (2 * v), c2);
        }
        if (n > 3)
        {
            TOps.Store(o + (3 * v), c3);
        }
    }

    /// <summary>One output channel of one pixel, before activation (the tail when cout is not a multiple of the width).</summary>
    private static float ScalarChannel(in ConvArguments a, float* x0, int co)
    {
        int cout = a.OutputChannels, k = a.Kernel;
        int run = k * a.InputChannels;
        long rowStride = (long)a.InputWidth * a.InputChannels;
        float c = a.Bias[co];
        float* w = a.Weights + co;
        for (int kh = 0; kh < k; kh++)
        {
            float* x = x0 + (kh * rowStride);
            for (int j = 0; j < run; j++)
            {
                c += x[j] * *w;
                w += cout;
            }
        }
        return c;
    }

    private static float Finish(in ConvArguments a, float value) => a.Relu ? System.MathF.Max(value, 0f) : value;
}

/// <summary>What a convolution tile does with its 4 pixels: store them (a row) or max-pool them (a 2x2 window).</summary>
internal interface IEpilogue
{
    static abstract bool Pool { get; }
}

internal readonly struct Row : IEpilogue
{
    public static bool Pool => false;
}

internal readonly struct Pooled : IEpilogue
{
    public static bool Pool => true;
}
