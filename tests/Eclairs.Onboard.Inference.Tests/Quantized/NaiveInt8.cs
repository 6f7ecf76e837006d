using System;
using System.Collections.Generic;
using System.Linq;
using Eclairs.Onboard.Inference.Quantized;

namespace Eclairs.Onboard.Inference.Tests.Quantized;

/// <summary>
/// An int8 network written from TFLM's documented formulas with wide exact arithmetic (Int128 products, floor
/// divisions), sharing no code with the engine: the definition the engine's int8 kernels are tested against.
/// </summary>
internal static class NaiveInt8
{
    /// <summary>gemmlowp SRDHM: floor(a·b / 2^31 + 1/2) (ties towards +infinity), saturated to int32.</summary>
    public static long Srdhm(long a, long b)
    {
        Int128 twice = (2 * (Int128)a * b) + ((Int128)1 << 31);
        Int128 floor = twice >> 32; // arithmetic shift: floor division by 2^32
        return (long)Int128.Clamp(floor, int.MinValue, int.MaxValue);
    }

    /// <summary>RoundingDivideByPOT: x / 2^e rounded to nearest, ties away from zero.</summary>
    public static long Rdbpot(long x, int e)
    {
        if (e == 0)
        {
            return x;
        }
        long half = 1L << (e - 1);
        return x >= 0 ? (x + half) >> e : -((-x + half) >> e);
    }

    /// <summary>TFLM MultiplyByQuantizedMultiplier: x · 2^max(s,0) wrapped to int32 (as the C does in uint32), SRDHM, RDBPOT.</summary>
    public static long Mbqm(long x, int m, int s)
    {
        long shifted = unchecked((int)(uint)((ulong)x << Math.Max(s, 0)));
        return Rdbpot(Srdhm(shifted, m), Math.Max(-s, 0));
    }

    /// <summary>TFLM reference_integer_ops::Add for one element.</summary>
    public static sbyte Add(int x1, int x2, int zp1, int zp2, int zpOut, int[] m, int[] s, int min, int max)
    {
        long a = Mbqm((x1 - zp1) * (long)(1 << 20), m[0], s[0]);
        long b = Mbqm((x2 - zp2) * (long)(1 << 20), m[1], s[1]);
        long raw = Mbqm(a + b, m[2], s[2]) + zpOut;
        return (sbyte)Math.Clamp(raw, min, max);
    }

    /// <summary>TFLM's int8 average-pool rounding written as a real division: the mean rounded half away from zero.</summary>
    public static sbyte Mean(int sum, int count) =>
        (sbyte)Math.Clamp((long)Math.Round(sum / (double)count, MidpointRounding.AwayFromZero), sbyte.MinValue, sbyte.MaxValue);

    /// <summary>Every layer's int8 output (by layer index) of the network from a quantized two-channel input.</summary>
    public static sbyte[][] Run(NetworkDescription network, Int8Parameters p, sbyte[] input)
    {
        var convs = p.Layers.ToDictionary(l => l.LayerIndex);
        var adds = p.Adds.ToDictionary(a => a.LayerIndex);
        IReadOnlyList<LayerInfo> infos = network.LayerInfos;
        var outputs = new sbyte[infos.Count][];
        var zps = new int[infos.Count];
        for (int l = 0; l < infos.Count; l++)
        {
            LayerInfo info = infos[l];
            sbyte[] x = l == 0 ? input : outputs[l - 1];
            int zp = l == 0 ? p.InputZeroPoint : zps[l - 1];
            TensorShape i = info.InputShape, o = info.OutputShape;
            switch (info.Spec)
            {
                case Conv2DLayer c:
                    outputs[l] = Conv(x, i, zp, convs[l], c.KernelSize, 1, c.Padding == Padding.Same ? (c.KernelSize - 1) / 2 : 0, c.Activation, o);
                    zp = convs[l].OutputZeroPoint;
                    break;
                case GeneralConv2DLayer g:
                    outputs[l] = Conv(x, i, zp, convs[l], g.KernelSize, g.Stride, g.Pad, g.Activation, o);
                    zp = convs[l].OutputZeroPoint;
                    break;
                case DenseLayer d:
                    outputs[l] = Conv(x, new TensorShape(1, 1, i.Channels), zp, convs[l], 1, 1, 0, d.Activation, new TensorShape(1, 1, o.Channels));
                    zp = convs[l].OutputZeroPoint;
                    break;
                case MaxPool2DLayer or AveragePool2DLayer:
                    outputs[l] = Pool(x, i, o, info.Spec is MaxPool2DLayer);
                    break;
                case GlobalAveragePoolLayer:
                    outputs[l] = new sbyte[o.Channels];
                    for (int ch = 0; ch < i.Channels; ch++)
                    {
                        int sum = 0;
                        for (int k = 0; k < i.Height * i.Width; k++)
                        {
                            sum += x[(k * i.Channels) + ch];
                        }
                        outputs[l][ch] = Mean(sum, i.Height * i.Width);
                    }
                    break;
                case AddLayer add:
                {
                    Int8AddParameters a = adds[l];
                    int min = add.Activation == Activation.Relu ? Math.Max(-128, a.OutputZeroPoint) : -128;
                    outputs[l] = new sbyte[x.Length];
                    for (int k = 0; k < x.Length; k++)
                    {
                        outputs[l][k] = Add(x[k], outputs[add.Source][k], zp, zps[add.Source], a.OutputZeroPoint, a.Multiplier, a.Shift, min, 127);
                    }
                    zp = a.OutputZeroPoint;
                    break;
                }
                case BranchLayer branch:
                    outputs[l] = outputs[branch.Source];
                    zp = zps[branch.Source];
                    break;
                default:
                    outputs[l] = x; // Input, Concatenate, Flatten, Dropout, Sigmoid
                    break;
            }
            zps[l] = zp;
        }
        return outputs;
    }

    private static sbyte[] Conv(sbyte[] x, TensorShape i, int zp, Int8LayerParameters p, int k, int stride, int pad, Activation activation, TensorShape o)
    {
        var y = new sbyte[o.Size];
        int min = activation == Activation.Relu ? Math.Max(-128, p.OutputZeroPoint) : -128;
        for (int oy = 0; oy < o.Height; oy++)
        {
            for (int ox = 0; ox < o.Width; ox++)
            {
                for (int co = 0; co < o.Channels; co++)
                {
                    long acc = p.Bias[co];
                    for (int ky = 0; ky < k; ky++)
                    {
                        for (int kx = 0; kx < k; kx++)
                        {
                            int iy = (oy * stride) + ky - pad, ix = (ox * stride) + kx - pad;
                            for (int ci = 0; ci < i.Channels; ci++)
                            {
                                // Padding is the zero point (real 0).
                                int v = iy < 0 || iy >= i.Height || ix < 0 || ix >= i.Width ? zp : x[(((iy * i.Width) + ix) * i.Channels) + ci];
                                acc += p.Weights[(((((ky * k) + kx) * i.Channels) + ci) * o.Channels) + co] * (long)(v - zp);
                            }
                        }
                    }
                    // The engine accumulates in int32 (wrapping); the sums of these tests stay within it.
                    long requantized = Mbqm(unchecked((int)acc), p.Multiplier[co], p.Shift[co]) + p.OutputZeroPoint;
                    y[(((oy * o.Width) + ox) * o.Channels) + co] = (sbyte)Math.Clamp(requantized, min, 127);
                }
            }
        }
        return y;
    }

    private static sbyte[] Pool(sbyte[] x, TensorShape i, TensorShape o, bool max)
    {
        var y = new sbyte[o.Size];
        for (int oy = 0; oy < o.Height; oy++)
        {
            for (int ox = 0; ox < o.Width; ox++)
            {
                for (int ch = 0; ch < i.Channels; ch++)
                {
                    int[] w = [.. from dy in new[] { 0, 1 } from dx in new[] { 0, 1 } select (int)x[((((2 * oy) + dy) * i.Width) + (2 * ox) + dx) * i.Channels + ch]];
                    y[(((oy * o.Width) + ox) * i.Channels) + ch] = max ? (sbyte)w.Max() : Mean(w.Sum(), 4);
                }
            }
        }
        return y;
    }
}
