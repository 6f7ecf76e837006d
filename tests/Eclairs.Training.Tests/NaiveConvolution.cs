using System;

namespace Eclairs.Training.Tests;

/// <summary>Plain nested-loop convolution in double (NHWC, HWIO): the reference for the im2col/GEMM layer.</summary>
internal static class NaiveConvolution
{
    public static double[] Forward(float[] input, int h, int w, int cin, float[] weights, float[] bias, int k, int cout, int pad, out int oh, out int ow)
    {
        oh = h + 2 * pad - k + 1;
        ow = w + 2 * pad - k + 1;
        var output = new double[oh * ow * cout];
        for (int y = 0; y < oh; y++)
        {
            for (int x = 0; x < ow; x++)
            {
                for (int co = 0; co < cout; co++)
                {
                    double s = bias[co];
                    for (int ky = 0; ky < k; ky++)
                    {
                        for (int kx = 0; kx < k; kx++)
                        {
                            int iy = y + ky - pad, ix = x + kx - pad;
                            if (iy < 0 || iy >= h || ix < 0 || ix >= w)
                            {
                                continue;
                            }

                            for (int ci = 0; ci < cin; ci++)
                            {
                                s += (double)input[(iy * w + ix) * cin + ci] * weights[((ky * k + kx) * cin + ci) * cout + co];
                            }
                        }
                    }

                    output[(y * ow + x) * cout + co] = s;
                }
            }
        }

        return output;
    }

    /// <summary>Gradients of sum(dOut * out) with respect to weights, bias and input (no activation).</summary>
    public static (double[] Weights, double[] Bias, double[] Input) Backward(
        float[] input, int h, int w, int cin, float[] weights, int k, int cout, int pad, float[] dOut)
    {
        int oh = h + 2 * pad - k + 1, ow = w + 2 * pad - k + 1;
        var dW = new double[weights.Length];
        var dB = new double[cout];
        var dIn = new double[input.Length];
        for (int y = 0; y < oh; y++)
        {
            for (int x = 0; x < ow; x++)
            {
                for (int co = 0; co < cout; co++)
                {
                    double g = dOut[(y * ow + x) * cout + co];
                    dB[co] += g;
                    for (int ky = 0; ky < k; ky++)
                    {
                        for (int kx = 0; kx < k; kx++)
                        {
                            int iy = y + ky - pad, ix = x + kx - pad;
                            if (iy < 0 || iy >= h || ix < 0 || ix >= w)
                            {
                                continue;
                            }

                            for (int ci = 0; ci < cin; ci++)
                            {
                                int wi = ((ky * k + kx) * cin + ci) * cout + co;
                                int ii = (iy * w + ix) * cin + ci;
                                dW[wi] += g * input[ii];
                                dIn[ii] += g * weights[wi];
                            }
                        }
                    }
                }
            }
        }

        return (dW, dB, dIn);
    }
}
