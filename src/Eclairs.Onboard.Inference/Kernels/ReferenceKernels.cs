using System;

namespace Eclairs.Onboard.Inference;

/// <summary>
/// Plain scalar kernels, written for clarity: bounds-checked spans, padding tested per tap. They define what the
/// SIMD kernels must compute and run the <see cref="KernelPath.Scalar"/> path.
/// </summary>
internal static class ReferenceKernels
{
    /// <summary>NHWC convolution, HWIO weights, stride 1, zero padding <paramref name="pad"/>, optional ReLU.</summary>
    public static void Conv2D(ReadOnlySpan<float> input, TensorShape inShape, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias,
        int kernel, int pad, bool relu, Span<float> output, TensorShape outShape) =>
        GeneralReferenceKernels.Conv2D(input, inShape, weights, bias, kernel, 1, pad, relu, output, outShape);

    /// <summary>2x2 stride-2 max pooling; an odd last row or column is dropped.</summary>
    public static void MaxPool2D(ReadOnlySpan<float> input, TensorShape inShape, Span<float> output, TensorShape outShape)
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
                    o[ch] = MathF.Max(MathF.Max(input[a + ch], input[a + c + ch]), MathF.Max(input[b + ch], input[b + c + ch]));
                }
            }
        }
    }

    /// <summary>Mean over all pixels per channel (sum in pixel order, then one division).</summary>
    public static void GlobalAveragePool(ReadOnlySpan<float> input, TensorShape inShape, Span<float> output)
    {
        int c = inShape.Channels;
        int pixels = inShape.Height * inShape.Width;
        Span<float> o = output[..c];
        o.Clear();
        for (int p = 0; p < pixels; p++)
        {
            ReadOnlySpan<float> x = input.Slice(p * c, c);
            for (int ch = 0; ch < c; ch++)
            {
                o[ch] += x[ch];
            }
        }
        for (int ch = 0; ch < c; ch++)
        {
            o[ch] /= pixels;
        }
    }

    /// <summary>y = x · W + b with W stored [in][out], optional ReLU.</summary>
    public static void Dense(ReadOnlySpan<float> input, int inputs, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias,
        bool relu, Span<float> output, int units)
    {
        Span<float> o = output[..units];
        bias[..units].CopyTo(o);
        for (int i = 0; i < inputs; i++)
        {
            float x = input[i];
            ReadOnlySpan<float> w = weights.Slice(i * units, units);
            for (int u = 0; u < units; u++)
            {
                o[u] += x * w[u];
            }
        }
        if (relu)
        {
            Relu(o);
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
