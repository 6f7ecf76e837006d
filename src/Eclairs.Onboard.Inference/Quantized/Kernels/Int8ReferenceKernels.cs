using System;

namespace Eclairs.Onboard.Inference.Quantized;

/// <summary>Requantization of one layer: zero points, per-channel multipliers and shifts, and the clamp (ReLU = clamp at the output zero point).</summary>
public readonly record struct RequantizeParams(int InputZeroPoint, int OutputZeroPoint, int ActivationMin, int ActivationMax);

/// <summary>
/// The scalar int8 reference kernels, written as TFLM's reference integer_ops (conv.h, fully_connected.h,
/// pooling.h): int8 x int8 products accumulated in int32, <see cref="FixedPoint.MultiplyByQuantizedMultiplier"/>,
/// clamp. No floating point. Every other path is tested bit for bit against these.
/// </summary>
public static partial class Int8ReferenceKernels
{
    /// <summary>
    /// Conv2D stride 1, HWIO weights; <paramref name="pad"/> 0 ('valid') or (k - 1) / 2 ('same'). Pixels outside the
    /// input are skipped, which is the same as padding with the input zero point (real 0).
    /// </summary>
    public static void Conv2D(in RequantizeParams p, ReadOnlySpan<sbyte> input, TensorShape inShape, ReadOnlySpan<sbyte> weights,
        ReadOnlySpan<int> bias, ReadOnlySpan<int> multiplier, ReadOnlySpan<int> shift, int kernel, int pad,
        Span<sbyte> output, TensorShape outShape)
    {
        int cin = inShape.Channels, cout = outShape.Channels;
        for (int oy = 0; oy < outShape.Height; oy++)
        {
            for (int ox = 0; ox < outShape.Width; ox++)
            {
                for (int co = 0; co < cout; co++)
                {
                    int acc = bias[co];
                    for (int ky = 0; ky < kernel; ky++)
                    {
                        int iy = oy + ky - pad;
                        if (iy < 0 || iy >= inShape.Height)
                        {
                            continue;
                        }
                        for (int kx = 0; kx < kernel; kx++)
                        {
                            int ix = ox + kx - pad;
                            if (ix < 0 || ix >= inShape.Width)
                            {
                                continue;
                            }
                            int inBase = ((iy * inShape.Width) + ix) * cin;
                            int wBase = ((ky * kernel) + kx) * cin;
                            for (int ci = 0; ci < cin; ci++)
                            {
                                acc += weights[((wBase + ci) * cout) + co] * (input[inBase + ci] - p.InputZeroPoint);
                            }
                        }
                    }
                    output[(((oy * outShape.Width) + ox) * cout) + co] = Requantize(p, acc, multiplier[co], shift[co]);
                }
            }
        }
    }

    /// <summary>Fully connected: weights [inputs][units].</summary>
    public static void Dense(in RequantizeParams p, ReadOnlySpan<sbyte> input, ReadOnlySpan<sbyte> weights, ReadOnlySpan<int> bias,
        ReadOnlySpan<int> multiplier, ReadOnlySpan<int> shift, Span<sbyte> output)
    {
        int inputs = input.Length, units = output.Length;
        for (int o = 0; o < units; o++)
        {
            int acc = bias[o];
            for (int i = 0; i < inputs; i++)
            {
                acc += weights[(i * units) + o] * (input[i] - p.InputZeroPoint);
            }
            output[o] = Requantize(p, acc, multiplier[o], shift[o]);
        }
    }

    /// <summary>
    /// MBQM, add the output zero point, clamp to [min, max]: the sum is taken exactly (64-bit), so an MBQM result within
    /// 128 of ±2^31 saturates instead of wrapping (docs/int8.md, "Tensors and requantization").
    /// </summary>
    public static sbyte Requantize(in RequantizeParams p, int acc, int multiplier, int shift)
    {
        long v = (long)FixedPoint.MultiplyByQuantizedMultiplier(acc, multiplier, shift) + p.OutputZeroPoint;
        return (sbyte)Math.Clamp(v, p.ActivationMin, p.ActivationMax);
    }

    /// <summary>2x2 max pooling, stride 2, floor on odd sizes; scale and zero point unchanged.</summary>
    public static void MaxPool2D(ReadOnlySpan<sbyte> input, TensorShape inShape, Span<sbyte> output, TensorShape outShape)
    {
        int c = inShape.Channels;
        for (int oy = 0; oy < outShape.Height; oy++)
        {
            for (int ox = 0; ox < outShape.Width; ox++)
            {
                for (int ch = 0; ch < c; ch++)
                {
                    int a = input[((((2 * oy) * inShape.Width) + (2 * ox)) * c) + ch];
                    int b = input[((((2 * oy) * inShape.Width) + (2 * ox) + 1) * c) + ch];
                    int d = input[(((((2 * oy) + 1) * inShape.Width) + (2 * ox)) * c) + ch];
                    int e = input[(((((2 * oy) + 1) * inShape.Width) + (2 * ox) + 1) * c) + ch];
                    output[(((oy * outShape.Width) + ox) * c) + ch] = (sbyte)Math.Max(Math.Max(a, b), Math.Max(d, e));
                }
            }
        }
    }

    /// <summary>
    /// Mean over all pixels per channel, scale and zero point unchanged, rounded as TFLM's reference int8 AveragePool:
    /// sum &gt; 0 ? (sum + n/2) / n : (sum - n/2) / n with C's truncating division (half away from zero).
    /// </summary>
    public static void GlobalAveragePool(ReadOnlySpan<sbyte> input, TensorShape inShape, Span<sbyte> output)
    {
        int c = inShape.Channels, n = inShape.Height * inShape.Width;
        for (int ch = 0; ch < c; ch++)
        {
            int sum = 0;
            for (int i = 0; i < n; i++)
            {
                sum += input[(i * c) + ch];
            }
            output[ch] = RoundedMean(sum, n);
        }
    }

    internal static sbyte RoundedMean(int sum, int count)
    {
        int mean = sum > 0 ? (sum + (count / 2)) / count : (sum - (count / 2)) / count;
        return (sbyte)Math.Clamp(mean, sbyte.MinValue, sbyte.MaxValue);
    }
}
