using System;
using System.Numerics;

namespace Eclairs.Training.Layers;

/// <summary>Backward of a ReLU fused into the preceding linear operation.</summary>
internal static class Relu
{
    /// <summary>Zeroes the gradient where the ReLU output is not positive (the derivative at 0 is taken as 0).</summary>
    public static void MaskGradient(ReadOnlySpan<float> output, Span<float> gradient)
    {
        if (output.Length < gradient.Length)
        {
            throw new ArgumentException("The ReLU output is shorter than its gradient.", nameof(output));
        }

        int w = Vector<float>.Count, i = 0;
        for (; i + w <= gradient.Length; i += w)
        {
            Vector<int> active = Vector.GreaterThan(new Vector<float>(output[i..]), Vector<float>.Zero);
            Vector.ConditionalSelect(active, new Vector<float>(gradient[i..]), Vector<float>.Zero).CopyTo(gradient[i..]);
        }

        for (; i < gradient.Length; i++)
        {
            if (!(output[i] > 0f))
            {
                gradient[i] = 0f;
            }
        }
    }
}
