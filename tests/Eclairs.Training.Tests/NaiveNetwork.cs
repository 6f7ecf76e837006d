using System;
using Eclairs.Training.Export;
using Eclairs.Training.Networks;

namespace Eclairs.Training.Tests;

/// <summary>
/// Double-precision forward pass written from the engine's conventions alone (NHWC activations, HWIO conv
/// weights, [in][out] dense weights, flatten in (h, w, c) order, floor 2x2 pooling, sigmoid at the end),
/// reading only a <see cref="TrainedNetwork"/>: the independent reference for the exported layouts.
/// </summary>
internal static class NaiveNetwork
{
    public static double Probability(TrainedNetwork network, float[] snr, byte[] mask)
    {
        int h = network.Input.Height, w = network.Input.Width, c = 2;
        var x = new double[h * w * 2];
        for (int p = 0; p < h * w; p++)
        {
            x[2 * p] = mask[p] == 0 ? 0 : snr[p];
            x[2 * p + 1] = mask[p];
        }

        foreach (TrainedLayer layer in network.Layers)
        {
            switch (layer.Spec)
            {
                case Conv2DSpec conv:
                    x = Conv(x, h, w, c, layer.Weights.ToArray(), layer.Bias.ToArray(), conv, out h, out w);
                    c = conv.Filters;
                    break;
                case MaxPool2DSpec:
                    x = Pool(x, h, w, c);
                    h /= 2;
                    w /= 2;
                    break;
                case GlobalAveragePoolSpec:
                    var mean = new double[c];
                    for (int p = 0; p < h * w; p++)
                    {
                        for (int k = 0; k < c; k++)
                        {
                            mean[k] += x[p * c + k] / (h * w);
                        }
                    }

                    x = mean;
                    (h, w) = (1, 1);
                    break;
                case FlattenSpec:
                    c = h * w * c;
                    (h, w) = (1, 1);
                    break;
                case DenseSpec dense:
                    float[] weights = layer.Weights.ToArray();
                    var y = new double[dense.Units];
                    for (int o = 0; o < dense.Units; o++)
                    {
                        double s = layer.Bias[o];
                        for (int i = 0; i < c; i++)
                        {
                            s += x[i] * weights[i * dense.Units + o];
                        }

                        y[o] = dense.Activation == Activation.Relu ? Math.Max(0, s) : s;
                    }

                    x = y;
                    c = dense.Units;
                    break;
                case DropoutSpec:
                    break;
                default:
                    throw new NotSupportedException(layer.Spec.ToString());
            }
        }

        return 1 / (1 + Math.Exp(-x[0]));
    }

    private static double[] Conv(double[] x, int h, int w, int cin, float[] weights, float[] bias, Conv2DSpec conv, out int oh, out int ow)
    {
        int k = conv.Kernel, pad = conv.Padding == Padding.Same ? (k - 1) / 2 : 0, cout = conv.Filters;
        oh = h + 2 * pad - k + 1;
        ow = w + 2 * pad - k + 1;
        var y = new double[oh * ow * cout];
        for (int oy = 0; oy < oh; oy++)
        {
            for (int ox = 0; ox < ow; ox++)
            {
                for (int co = 0; co < cout; co++)
                {
                    double s = bias[co];
                    for (int ky = 0; ky < k; ky++)
                    {
                        for (int kx = 0; kx < k; kx++)
                        {
                            int iy = oy + ky - pad, ix = ox + kx - pad;
                            if (iy >= 0 && iy < h && ix >= 0 && ix < w)
                            {
                                for (int ci = 0; ci < cin; ci++)
                                {
                                    s += x[(iy * w + ix) * cin + ci] * weights[((ky * k + kx) * cin + ci) * cout + co];
                                }
                            }
                        }
                    }

                    y[(oy * ow + ox) * cout + co] = conv.Activation == Activation.Relu ? Math.Max(0, s) : s;
                }
            }
        }

        return y;
    }

    private static double[] Pool(double[] x, int h, int w, int c)
    {
        int oh = h / 2, ow = w / 2;
        var y = new double[oh * ow * c];
        for (int oy = 0; oy < oh; oy++)
        {
            for (int ox = 0; ox < ow; ox++)
            {
                for (int k = 0; k < c; k++)
                {
                    double m = double.NegativeInfinity;
                    for (int d = 0; d < 4; d++)
                    {
                        m = Math.Max(m, x[((2 * oy + d / 2) * w + 2 * ox + d % 2) * c + k]);
                    }

                    y[(oy * ow + ox) * c + k] = m;
                }
            }
        }

        return y;
    }
}
