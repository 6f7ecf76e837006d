using System;
using Eclairs.Onboard.Inference;

namespace Eclairs.Onnx.Tests;

/// <summary>Random He-uniform weights (what an untrained Keras model holds) and synthetic alert inputs.</summary>
internal static class TestModels
{
    public static ModelDocument Random(NetworkDescription network, int seed, float biasLimit = 0.1f)
    {
        var random = new Random(seed);
        var parameters = new float[network.RequiredTensors.Count][];
        for (int t = 0; t < parameters.Length; t++)
        {
            TensorRequirement r = network.RequiredTensors[t];
            double limit = r.Role == TensorRole.Bias ? biasLimit : Math.Sqrt(6.0 / (r.ElementCount / r.Shape[^1]));
            parameters[t] = new float[r.ElementCount];
            for (int i = 0; i < parameters[t].Length; i++)
            {
                parameters[t][i] = (float)(((random.NextDouble() * 2) - 1) * limit);
            }
        }
        return ModelDocument.FromParameters("onnx-test", network, parameters);
    }

    /// <summary>
    /// Gaussian-ish SNR, a bright trigger pixel and its neighbours; a masked border band (a partially coded edge)
    /// and scattered masked pixels holding NaN, which must never reach the network.
    /// </summary>
    public static (float[] Snr, byte[] Mask) Alert(int side, int seed, int maskedColumns)
    {
        var random = new Random(seed);
        var snr = new float[side * side];
        var mask = new byte[side * side];
        for (int y = 0; y < side; y++)
        {
            for (int x = 0; x < side; x++)
            {
                int i = (y * side) + x;
                double gaussian = (random.NextDouble() + random.NextDouble() + random.NextDouble() - 1.5) * 2;
                snr[i] = (float)gaussian;
                mask[i] = x < maskedColumns || random.Next(25) == 0 ? (byte)0 : random.Next(40) == 0 ? (byte)2 : (byte)1;
                if (mask[i] == 0)
                {
                    snr[i] = random.Next(2) == 0 ? float.NaN : 1e30f;
                }
            }
        }
        int c = side / 2;
        for (int dy = -1; dy <= 1; dy++)
        {
            for (int dx = -1; dx <= 1; dx++)
            {
                int i = ((c + dy) * side) + c + dx;
                snr[i] = dx == 0 && dy == 0 ? 9.5f : 4f;
                mask[i] = dx == 0 && dy == 0 ? (byte)3 : (byte)1;
            }
        }
        return (snr, mask);
    }
}
