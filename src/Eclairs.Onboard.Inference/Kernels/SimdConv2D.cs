using System.Runtime.CompilerServices;

namespace Eclairs.Onboard.Inference;

/// <summary>
/// Convolution vectorised over output channels. Each output pixel is a sum of kh·kw·cin rank-1 updates
/// (one input value broadcast times one row of cout weights). A register tile holds 4 adjacent output pixels by up to
/// 4 vectors of channels (16 accumulators), so each weight vector loaded serves 4 pixels and each broadcast serves up
/// to 4 vectors. For a fixed kernel row, the kw·cin taps of a pixel are contiguous in NHWC input and in HWIO weights,
/// so the inner loop is a single run of length kw·cin. Input is padded beforehand: no border tests inside.
/// </summary>
internal static unsafe class SimdConv2D<TOps, TVec>
    where TOps : struct, IVectorOps<TVec>
    where TVec : struct
{
    private const int TilePixels = 4;

    public static void Run(in ConvArguments a)
    {
        int v = TOps.Count;
        int cout = a.OutputChannels;
        int cin = a.InputChannels;
        for (int oy = 0; oy < a.OutputHeight; oy++)
        {
            float* inRow = a.Input + ((long)oy * a.InputWidth * cin);
            float* outRow = a.Output + ((long)oy * a.OutputWidth * cout);
            int ox = 0;
            for (; ox + TilePixels <= a.OutputWidth; ox += TilePixels)
            {
                float* x = inRow + (ox * cin);
                float* o = outRow + (ox * cout);
                int co = 0;
                for (; co + (4 * v) <= cout; co += 4 * v)
                {
                    Tile<FourVectors>(a, x, o, co);
                }
                for (; co + (2 * v) <= cout; co += 2 * v)
                {
                    Tile<TwoVectors>(a, x, o, co);
                }
                for (; co + v <= cout; co += v)
                {
                    Tile<OneVector>(a, x, o, co);
                }
                for (; co < cout; co++)
                {
                    for (int p = 0; p < TilePixels; p++)
                    {
                        ScalarChannel(a, x + (p * cin), o + (p * cout), co);
                    }
                }
            }
            for (; ox < a.OutputWidth; ox++)
            {
                float* x = inRow + (ox * cin);
                float* o = outRow + (ox * cout);
                int co = 0;
                for (; co + v <= cout; co += v)
                {
                    SinglePixel(a, x, o, co);
                }
                for (; co < cout; co++)
                {
                    ScalarChannel(a, x, o, co);
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile<TWidth>(in ConvArguments a, float* x0, float* o, int co)
        where TWidth : struct, IBlockWidth
    {
        int v = TOps.Count;
        int n = TWidth.Vectors;
        int cin = a.InputChannels, cout = a.OutputChannels, k = a.Kernel;
        int run = k * cin;
        long rowStride = (long)a.InputWidth * cin;
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
                TVec x1v = TOps.Broadcast(x[j + cin]);
                TVec x2v = TOps.Broadcast(x[j + (2 * cin)]);
                TVec x3v = TOps.Broadcast(x[j + (3 * cin)]);
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
        Store(o, relu, c00, c01, c02, c03, n);
        Store(o + cout, relu, c10, c11, c12, c13, n);
        Store(o + (2 * cout), relu, c20, c21, c22, c23, n);
        Store(o + (3 * cout), relu, c30, c31, c32, c33, n);
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
            TOps.Store(o + (3 * v), c3);
        }
    }

    private static void SinglePixel(in ConvArguments a, float* x0, float* o, int co)
    {
        int cin = a.InputChannels, cout = a.OutputChannels, k = a.Kernel;
        int run = k * cin;
        long rowStride = (long)a.InputWidth * cin;
        TVec c = TOps.Load(a.Bias + co);
        float* w = a.Weights + co;
        for (int kh = 0; kh < k; kh++)
        {
            float* x = x0 + (kh * rowStride);
            for (int j = 0; j < run; j++)
            {
                c = TOps.MultiplyAdd(TOps.Broadcast(x[j]), TOps.Load(w), c);
                w += cout;
            }
        }
        TOps.Store(o + co, a.Relu ? TOps.Max(c, TOps.Zero) : c);
    }

    private static void ScalarChannel(in ConvArguments a, float* x0, float* o, int co)
    {
        int cin = a.InputChannels, cout = a.OutputChannels, k = a.Kernel;
        int run = k * cin;
        long rowStride = (long)a.InputWidth * cin;
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
        o[co] = a.Relu ? System.MathF.Max(c, 0f) : c;
    }
}
