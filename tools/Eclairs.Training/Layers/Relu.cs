using System;

namespace Eclairs.Training.Layers;

/// <summary>Backward of a ReLU fused into the preceding linear operation.</summary>
internal static class Relu
{
    /// <summary>Zeroes the gradient where the ReLU output is not positive (the derivative at 0 is taken as 0).</summary>
    public static void MaskGradient(ReadOnlySpan<float> output, Span<float> gradient)
    {
        for (int i = 0; i < gradient.Length; i++)
        {
            if (!(output[i] > 0f))
            {
                gradient[i] = 0f;
            }
        }
    }
}
