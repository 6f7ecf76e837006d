using System;
using System.Collections.Generic;
using Eclairs.Onboard.Inference;

namespace Eclairs.Onboard.Inference.Tests;

/// <summary>An activation of the naive reference: H x W x C in NHWC order, in double precision.</summary>
internal sealed record NaiveTensor(int H, int W, int C, double[] Data);

/// <summary>
/// The network evaluated the plainest possible way, in double precision, written from the layer definitions
/// (Keras semantics) and independent of the engine's shapes, plan and kernels. Parameters come in layer order,
/// weights then bias: conv HWIO [kh][kw][cin][cout], dense [in][out].
/// </summary>
internal static class NaiveNetwork
{
    /// <summary>Output of every layer, by layer index.</summary>
    public static List<NaiveTensor> Run(IReadOnlyList<LayerSpec> layers, IReadOnlyList<float[]> parameters,
        float[] snr, byte[] mask, float scale = 1f, float offset = 0f)
    {
        var outputs = new List<NaiveTensor>();
        NaiveTensor x = null!;
        int p = 0;
        foreach (LayerSpec layer in layers)
        {
            switch (layer)
            {
                case InputLayer input:
                    var data = new double[input.Height * input.Width * 2];
                    for (int i = 0; i < input.Height * input.Width; i++)
                    {
                        data[2 * i] = mask[i] == 0 ? 0.0 : ((double)snr[i] * scale) + offset;
                        data[(2 * i) + 1] = mask[i];
                    }
                    x = new NaiveTensor(input.Height, input.Width, 2, data);
                    break;
                case ConcatenateLayer or DropoutLayer:
                    break;
                case Conv2DLayer conv:
                    x = Conv(x, parameters[p], parameters[p + 1], conv);
                    p += 2;
                    break;
                case MaxPool2DLayer:
                    x = MaxPool(x);
                    break;
                case GlobalAveragePoolLayer:
                    x = GlobalAveragePool(x);
                    break;
                case FlattenLayer:
                    x = new NaiveTensor(1, 1, x.H * x.W * x.C, x.Data);
                    break;
                case DenseLayer dense:
                    x = Dense(x, parameters[p], parameters[p + 1], dense);
                    p += 2;
                    break;
                case SigmoidLayer:
                    x = new NaiveTensor(1, 1, 1, [1.0 / (1.0 + Math.Exp(-x.Data[0]))]);
                    break;
                case GeneralConv2DLayer conv:
                    x = NaiveBranchLayers.Conv(x, parameters[p], parameters[p + 1], conv);
                    p += 2;
                    break;
                case AveragePool2DLayer:
                    x = NaiveBranchLayers.AveragePool(x);
                    break;
                case AddLayer add:
                    x = NaiveBranchLayers.Add(x, outputs[add.Source], add.Activation);
                    break;
                case BranchLayer branch:
                    x = outputs[branch.Source];
                    break;
                default:
                    throw new NotSupportedException(layer.ToString());
            }
            outputs.Add(x);
        }
        return outputs;
    }

    private static NaiveTensor Conv(NaiveTensor x, float[] w, float[] b, Conv2DLayer conv) =>
        NaiveBranchLayers.Conv(x, w, b, conv.KernelSize, 1, conv.Padding, conv.Filters, conv.Activation);

    private static NaiveTensor MaxPool(NaiveTensor x)
    {
        int oh = x.H / 2, ow = x.W / 2;
        var y = new double[oh * ow * x.C];
        for (int oy = 0; oy < oh; oy++)
        {
            for (int ox = 0; ox < ow; ox++)
            {
                for (int c = 0; c < x.C; c++)
                {
                    double m = double.NegativeInfinity;
                    for (int dy = 0; dy < 2; dy++)
                    {
                        for (int dx = 0; dx < 2; dx++)
                        {
                            m = Math.Max(m, x.Data[((((2 * oy) + dy) * x.W) + (2 * ox) + dx) * x.C + c]);
                        }
                    }
                    y[(((oy * ow) + ox) * x.C) + c] = m;
                }
            }
        }
        return new NaiveTensor(oh, ow, x.C, y);
    }

    private static NaiveTensor GlobalAveragePool(NaiveTensor x)
    {
        var y = new double[x.C];
        for (int i = 0; i < x.H * x.W; i++)
        {
            for (int c = 0; c < x.C; c++)
            {
                y[c] += x.Data[(i * x.C) + c];
            }
        }
        for (int c = 0; c < x.C; c++)
        {
            y[c] /= x.H * x.W;
        }
        return new NaiveTensor(1, 1, x.C, y);
    }

    private static NaiveTensor Dense(NaiveTensor x, float[] w, float[] b, DenseLayer dense)
    {
        int n = x.H * x.W * x.C, units = dense.Units;
        var y = new double[units];
        for (int u = 0; u < units; u++)
        {
            double sum = b[u];
            for (int i = 0; i < n; i++)
            {
                sum += x.Data[i] * w[(i * units) + u];
            }
            y[u] = dense.Activation == Activation.Relu ? Math.Max(sum, 0) : sum;
        }
        return new NaiveTensor(1, 1, units, y);
    }
}
