using System;
using Eclairs.Onboard.Inference;

namespace Eclairs.Onboard.Benchmarks;

/// <summary>Random He-uniform weights and a realistic-looking input (mostly background mask, a trigger pixel).</summary>
internal static class BenchModels
{
    public static NetworkDescription Network(string name) => name switch
    {
        "CnnV1" => Architectures.CnnV1(),
        "CompactV1" => Architectures.CompactV1(),
        _ => throw new ArgumentException(name, nameof(name)),
    };

    public static ModelDocument RandomDocument(NetworkDescription network, int seed)
    {
        var random = new Random(seed);
        var parameters = new float[network.RequiredTensors.Count][];
        for (int t = 0; t < parameters.Length; t++)
        {
            TensorRequirement r = network.RequiredTensors[t];
            double limit = r.Role == TensorRole.Bias ? 0.1 : Math.Sqrt(6.0 / (r.ElementCount / r.Shape[^1]));
            parameters[t] = new float[r.ElementCount];
            for (int i = 0; i < parameters[t].Length; i++)
            {
                parameters[t][i] = (float)(((random.NextDouble() * 2) - 1) * limit);
            }
        }
        return ModelDocument.FromParameters("bench", network, parameters);
    }

    public static (float[] Snr, byte[] Mask) Input(int side, int seed)
    {
        var random = new Random(seed);
        var snr = new float[side * side];
        var mask = new byte[side * side];
        for (int i = 0; i < snr.Length; i++)
        {
            snr[i] = (float)((random.NextDouble() * 6) - 3);
            mask[i] = (byte)(random.Next(20) == 0 ? 0 : random.Next(30) == 0 ? 2 : 1);
        }
        mask[(side / 2 * side) + (side / 2)] = 3;
        return (snr, mask);
    }
}
