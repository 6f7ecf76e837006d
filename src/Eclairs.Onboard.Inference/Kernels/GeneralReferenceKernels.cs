using System;

namespace Eclairs.Onboard.Inference;

/// <summary>
/// Plain scalar kernels of the residual-network layers (general convolution, 2x2 average pooling, residual Add):
/// bounds-checked spans, padding tested per tap. They define what the SIMD kernels compute and run every stride-2
/// convolution wider than 1x1.
/// </summary>
internal static class GeneralReferenceKernels
{
    /// <summary>NHWC convolution, HWIO weights, any stride, zero padding <paramref name="pad"/> on each side, optional ReLU.</summary>
    public static void Conv2D(ReadOnlySpan<float> input, TensorShape inShape, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias,
        int kernel, int stride, int pad, bool relu, Span<float> output, TensorShape outShape)
    {
        int cin = inShape.Channels, cout = outShape.Channels;
        for (int oy = 0; oy < outShape.Height; oy++)
        {
            for (int ox = 0; ox < outShape.Width; ox++)
            {
                Span<float> o = output.Slice(((oy * outShape.Width) + ox) * cout, cout);
                bias.CopyTo(o);
                for (int kh = 0; kh < kernel; kh++)
                {
                    int iy = (oy * stride) + kh - pad;
                    if (iy < 0 || iy >= inShape.Height)
                    {
                        continue;
                    }
                    for (int kw = 0; kw < kernel; kw++)
                    {
                        int ix = (ox * stride) + kw - pad;
                        if (ix < 0 || ix >= inShape.Width)
                        {
                            continue;
                        }
                        for (int ci = 0; ci < cin; ci++)
                        {
                            float x = input[(((iy * inShape.Width) + ix) * cin) + ci];
                            ReadOnlySpan<float> w = weights.Slice(((((kh * kernel) + kw) * cin) + ci) * cout, cout);
                            for (int co = 0; co < cout; co++)
                            {
                                o[co] += x * w[co];
                            }
                        }
                    }
                }
                if (relu)
                {
                    Relu(o);
                }
            }
        }
    }

    /// <summary>2x2 stride-2 average pooling: (a + b + c + d) · 0.25 in that order; an odd last row or column is dropped.</summary>
    public static void AveragePool2D(ReadOnlySpan<float> input, TensorShape inShape, Span<float> output, TensorShape outShape)
    {
        int c = inShape.Channels;
        for (int oy = 0; oy < outShape.Height; oy++)
        {
            for (int ox = 0; ox < outShape.Width; ox++)
            {
                int a = (((2 * oy) * inShape.Width) + (2 * ox)) * c;
                int b = a + (inShape.Width * c);
                Span<float> o = output.Slice(((oy * outShape.Width) + ox) * c, c);
                for (int ch = 0; ch < c; ch++)
                {
                    o[ch] = (input[a + ch] + input[a + c + ch] + (input[b + ch] + input[b + c + ch])) * 0.25f;
                }
            }
        }
    }

    /// <summary>Residual sum x + y, element by element, optional ReLU.</summary>
    public static void Add(ReadOnlySpan<float> x, ReadOnlySpan<float> y, bool relu, Span<float> output)
    {
        for (int i = 0; i < output.Length; i++)
        {
            float s = x[i] + y[i];
            output[i] = relu ? MathF.Max(s, 0f) : s;
        }
    }

    private static void Relu(Span<float> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = MathF.Max(values[i], 0f);
        }
    }
}
