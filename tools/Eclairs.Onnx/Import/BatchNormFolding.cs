using System;

namespace Eclairs.Onnx;

/// <summary>
/// Folds an inference batch normalisation y = γ (x − μ) / √(σ² + ε) + β into the convolution or dense layer before
/// it (weights with the output channel innermost, HWIO or [in][out]): w' = w · s, b' = (b − μ) · s + β with
/// s = γ / √(σ² + ε), computed in double. Shared by the ONNX and Keras importers.
/// </summary>
internal static class BatchNormFolding
{
    public static void Fold(float[] weights, float[] bias, float[] gamma, float[] beta, float[] mean, float[] variance, double epsilon)
    {
        int channels = bias.Length;
        for (int c = 0; c < channels; c++)
        {
            double s = gamma[c] / Math.Sqrt(variance[c] + epsilon);
            for (int i = c; i < weights.Length; i += channels)
            {
                weights[i] = (float)(weights[i] * s);
            }
            bias[c] = (float)(((bias[c] - mean[c]) * s) + beta[c]);
        }
    }
}
