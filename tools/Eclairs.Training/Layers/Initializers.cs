using System;
using Eclairs.Training.Networks;
using Eclairs.Training.Randomness;

namespace Eclairs.Training.Layers;

/// <summary>Weight initialisation: He normal for layers followed by ReLU, Glorot uniform otherwise.</summary>
internal static class Initializers
{
    public static void Fill(Span<float> weights, int fanIn, int fanOut, Activation activation, ref Xoshiro256StarStar rng)
    {
        if (activation == Activation.Relu)
        {
            double std = Math.Sqrt(2.0 / fanIn);
            for (int i = 0; i < weights.Length; i++)
            {
                weights[i] = (float)(std * rng.NextGaussian());
            }
        }
        else
        {
            double limit = Math.Sqrt(6.0 / (fanIn + fanOut));
            for (int i = 0; i < weights.Length; i++)
            {
                weights[i] = (float)(limit * (2.0 * rng.NextDouble() - 1.0));
            }
        }
    }
}
