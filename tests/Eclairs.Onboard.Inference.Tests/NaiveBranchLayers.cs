using System;

namespace Eclairs.Onboard.Inference.Tests;

/// <summary>
/// The residual-network layers the plainest way, in double precision, from their definitions (PyTorch's Conv2d with
/// stride and symmetric padding k/2, avg_pool2d(2), x + y then ReLU), independent of the engine's plan and kernels.
/// </summary>
internal static class NaiveBranchLayers
{
    public static NaiveTensor Conv(NaiveTensor x, float[] w, float[] b, GeneralConv2DLayer conv) =>
        Conv(x, w, b, conv.KernelSize, conv.Stride, conv.Padding, conv.Filters, conv.Activation);

    /// <summary>Any convolution: HWIO weights, stride <paramref name="s"/>, symmetric padding k/2 when Same.</summary>
    public static NaiveTensor Conv(NaiveTensor x, float[] w, float[] b, int k, int s, Padding padding, int cout, Activation activation)
    {
        int pad = padding == Padding.Same ? k / 2 : 0;
        int oh = ((x.H + (2 * pad) - k) / s) + 1, ow = ((x.W + (2 * pad) - k) / s) + 1;
        var y = new double[oh * ow * cout];
        for (int oy = 0; oy < oh; oy++)
        {
            for (int ox = 0; ox < ow; ox++)
            {
                for (int co = 0; co < cout; co++)
                {
                    double sum = b[co];
                    for (int kh = 0; kh < k; kh++)
                    {
                        for (int kw = 0; kw < k; kw++)
                        {
                            int iy = (oy * s) + kh - pad, ix = (ox * s) + kw - pad;
                            if (iy < 0 || ix < 0 || iy >= x.H || ix >= x.W)
                            {
                                continue;
                            }
                            for (int ci = 0; ci < x.C; ci++)
                            {
                                sum += x.Data[(((iy * x.W) + ix) * x.C) + ci] * w[((((kh * k) + kw) * x.C) + ci) * cout + co];
                            }
                        }
                    }
                    y[(((oy * ow) + ox) * cout) + co] = activation == Activation.Relu ? Math.Max(sum, 0) : sum;
                }
            }
        }
        return new NaiveTensor(oh, ow, cout, y);
    }

    public static NaiveTensor AveragePool(NaiveTensor x)
    {
        int oh = x.H / 2, ow = x.W / 2;
        var y = new double[oh * ow * x.C];
        for (int oy = 0; oy < oh; oy++)
        {
            for (int ox = 0; ox < ow; ox++)
            {
                for (int c = 0; c < x.C; c++)
                {
                    double sum = 0;
                    for (int dy = 0; dy < 2; dy++)
                    {
                        for (int dx = 0; dx < 2; dx++)
                        {
                            sum += x.Data[(((((2 * oy) + dy) * x.W) + (2 * ox) + dx) * x.C) + c];
                        }
                    }
                    y[(((oy * ow) + ox) * x.C) + c] = sum / 4;
                }
            }
        }
        return new NaiveTensor(oh, ow, x.C, y);
    }

    public static NaiveTensor Add(NaiveTensor x, NaiveTensor other, Activation activation)
    {
        if (x.H != other.H || x.W != other.W || x.C != other.C)
        {
            throw new ArgumentException("shapes differ");
        }
        var y = new double[x.Data.Length];
        for (int i = 0; i < y.Length; i++)
        {
            double s = x.Data[i] + other.Data[i];
            y[i] = activation == Activation.Relu ? Math.Max(s, 0) : s;
        }
        return new NaiveTensor(x.H, x.W, x.C, y);
    }
}
