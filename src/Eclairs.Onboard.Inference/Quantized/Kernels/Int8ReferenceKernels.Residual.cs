using System;

namespace Eclairs.Onboard.Inference.Quantized;

/// <summary>The parameters of one int8 residual Add as its kernels read them (TFLM's ArithmeticParams for ADD).</summary>
/// <param name="Input1ZeroPoint">Zero point of input 1 (the previous layer's output).</param>
/// <param name="Input2ZeroPoint">Zero point of input 2 (the Add's source layer's output).</param>
/// <param name="OutputZeroPoint">Zero point of the output.</param>
/// <param name="LeftShift">Left shift of both offset inputs (<see cref="Int8AddParameters.LeftShift"/>, 20).</param>
/// <param name="Input1Multiplier">Q31 multiplier of input 1.</param>
/// <param name="Input1Shift">Its shift (&lt;= 0).</param>
/// <param name="Input2Multiplier">Q31 multiplier of input 2.</param>
/// <param name="Input2Shift">Its shift (&lt;= 0).</param>
/// <param name="OutputMultiplier">Q31 multiplier of the sum.</param>
/// <param name="OutputShift">Its shift (&lt;= 0).</param>
/// <param name="ActivationMin">Clamp low bound (the output zero point under a fused ReLU, else -128).</param>
/// <param name="ActivationMax">Clamp high bound (127).</param>
public readonly record struct AddParams(int Input1ZeroPoint, int Input2ZeroPoint, int OutputZeroPoint, int LeftShift,
    int Input1Multiplier, int Input1Shift, int Input2Multiplier, int Input2Shift, int OutputMultiplier, int OutputShift,
    int ActivationMin, int ActivationMax);

public static partial class Int8ReferenceKernels
{
    /// <summary>
    /// TFLM's reference int8 ADD, element by element: each input minus its zero point, times 2^left, rescaled by its
    /// own MBQM; the int32 sum rescaled by the output MBQM, plus the output zero point, clamped. With shifts &lt;= 0 the
    /// MBQM is TFLM's MultiplyByQuantizedMultiplierSmallerThanOneExp (RDBPOT(SRDHM(x, M), -s)).
    /// </summary>
    public static void Add(in AddParams p, ReadOnlySpan<sbyte> input1, ReadOnlySpan<sbyte> input2, Span<sbyte> output)
    {
        for (int i = 0; i < output.Length; i++)
        {
            output[i] = Add(p, input1[i], input2[i]);
        }
    }

    /// <summary>One element of <see cref="Add(in AddParams, ReadOnlySpan{sbyte}, ReadOnlySpan{sbyte}, Span{sbyte})"/>.</summary>
    public static sbyte Add(in AddParams p, int x1, int x2)
    {
        int shifted1 = (x1 - p.Input1ZeroPoint) * (1 << p.LeftShift);
        int shifted2 = (x2 - p.Input2ZeroPoint) * (1 << p.LeftShift);
        int scaled1 = FixedPoint.MultiplyByQuantizedMultiplier(shifted1, p.Input1Multiplier, p.Input1Shift);
        int scaled2 = FixedPoint.MultiplyByQuantizedMultiplier(shifted2, p.Input2Multiplier, p.Input2Shift);
        int raw = FixedPoint.MultiplyByQuantizedMultiplier(scaled1 + scaled2, p.OutputMultiplier, p.OutputShift) + p.OutputZeroPoint;
        return (sbyte)Math.Clamp(raw, p.ActivationMin, p.ActivationMax);
    }

    /// <summary>
    /// 2x2 average pooling, stride 2, floor on odd sizes; scale and zero point unchanged; each window's sum rounded as
    /// TFLM's reference int8 AveragePool: sum &gt; 0 ? (sum + 2) / 4 : (sum - 2) / 4, C's truncating division.
    /// </summary>
    public static void AveragePool2D(ReadOnlySpan<sbyte> input, TensorShape inShape, Span<sbyte> output, TensorShape outShape)
    {
        int c = inShape.Channels;
        for (int oy = 0; oy < outShape.Height; oy++)
        {
            for (int ox = 0; ox < outShape.Width; ox++)
            {
                for (int ch = 0; ch < c; ch++)
                {
                    int sum = 0;
                    for (int dy = 0; dy < 2; dy++)
                    {
                        for (int dx = 0; dx < 2; dx++)
                        {
                            sum += input[(((((2 * oy) + dy) * inShape.Width) + (2 * ox) + dx) * c) + ch];
                        }
                    }
                    output[(((oy * outShape.Width) + ox) * c) + ch] = RoundedMean(sum, 4);
                }
            }
        }
    }

    /// <summary>
    /// Convolution of any square kernel and stride, HWIO weights, <paramref name="pad"/> on each side (taps outside
    /// the input skipped: padding with the input zero point), per-channel requantization as <see cref="Conv2D"/>.
    /// </summary>
    public static void GeneralConv2D(in RequantizeParams p, ReadOnlySpan<sbyte> input, TensorShape inShape, ReadOnlySpan<sbyte> weights,
        ReadOnlySpan<int> bias, ReadOnlySpan<int> multiplier, ReadOnlySpan<int> shift, int kernel, int stride, int pad,
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
                        int iy = (oy * stride) + ky - pad;
                        if (iy < 0 || iy >= inShape.Height)
                        {
                            continue;
                        }
                        for (int kx = 0; kx < kernel; kx++)
                        {
                            int ix = (ox * stride) + kx - pad;
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
}
