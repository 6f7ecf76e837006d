using System;
using System.Globalization;
using System.IO;
using System.Runtime.CompilerServices;
using Eclairs.Onboard.Inference;
using Eclairs.Onboard.Inference.Quantized;

namespace Eclairs.CountInstructions;

/// <summary>
/// <c>eclairs-count-instructions NETWORK PATH CALLS</c>: loads NETWORK (CnnV1 or CompactV1) with fixed pseudo-random
/// weights on kernel PATH, classifies one fixed alert three times to warm up, then CALLS times inside
/// <see cref="Workload.ClassifyRepeatedly"/>, the function callgrind's --toggle-collect counts. Everything is
/// deterministic, so the count is the same run after run.
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        if (args.Length != 3 || !Enum.TryParse(args[1], out KernelPath path)
            || !int.TryParse(args[2], NumberStyles.None, CultureInfo.InvariantCulture, out int calls) || calls < 1)
        {
            Console.Error.WriteLine("usage: eclairs-count-instructions CnnV1|CompactV1|MODEL.eclw Auto|Scalar|Vector128|Vector256|Vector512 CALLS");
            return 2;
        }
        if (args[0].EndsWith(".eclw", StringComparison.Ordinal))
        {
            return RunModelFile(args[0], path, calls);
        }
        NetworkDescription network = args[0] switch
        {
            "CnnV1" => Architectures.CnnV1(),
            "CompactV1" => Architectures.CompactV1(),
            _ => null!,
        };
        if (network is null)
        {
            Console.Error.WriteLine($"unknown network {args[0]}");
            return 2;
        }
        if (!Model.IsSupported(path))
        {
            Console.Error.WriteLine($"{path} is not accelerated on this CPU or build");
            return 2;
        }
        Model model = Model.FromDocument(Workload.Document(network), new ModelOptions { KernelPath = path });
        InferenceContext context = model.CreateContext();
        (float[] snr, byte[] mask) = Workload.Alert(network.InputHeight);
        for (int i = 0; i < 3; i++)
        {
            context.Classify(snr, mask);
        }
        float logit = Workload.ClassifyRepeatedly(context, snr, mask, calls);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{args[0]} path={model.KernelPath} calls={calls} macs={model.Macs} logit={logit:R}"));
        return 0;
    }

    /// <summary>A shipped model file, float32 or int8 (the header's number format picks the engine).</summary>
    private static int RunModelFile(string file, KernelPath path, int calls)
    {
        byte[] bytes = File.ReadAllBytes(file);
        (float[] snr, byte[] mask) = Workload.Alert(56);
        float logit;
        if (EclwReader.PeekNumberFormat(bytes) == NumberFormat.Int8)
        {
            KernelPath int8Path = Enum.Parse<KernelPath>(path.ToString());
            if (!Int8Model.IsSupported(int8Path))
            {
                Console.Error.WriteLine($"{path} is not accelerated on this CPU or build");
                return 2;
            }
            Int8Context context = Int8Model.Load(bytes, int8Path).CreateContext();
            for (int i = 0; i < 3; i++)
            {
                context.Classify(snr, mask);
            }
            logit = Workload.ClassifyRepeatedlyInt8(context, snr, mask, calls);
        }
        else
        {
            if (!Model.IsSupported(path))
            {
                Console.Error.WriteLine($"{path} is not accelerated on this CPU or build");
                return 2;
            }
            InferenceContext context = Model.Load(bytes, new ModelOptions { KernelPath = path }).CreateContext();
            for (int i = 0; i < 3; i++)
            {
                context.Classify(snr, mask);
            }
            logit = Workload.ClassifyRepeatedly(context, snr, mask, calls);
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{file} path={path} calls={calls} logit={logit:R}"));
        return 0;
    }
}

/// <summary>The fixed model and alert, and the function whose instructions are counted.</summary>
internal static class Workload
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static float ClassifyRepeatedly(InferenceContext context, float[] snr, byte[] mask, int calls)
    {
        float logit = 0;
        for (int i = 0; i < calls; i++)
        {
            logit = context.Classify(snr, mask).Logit;
        }
        return logit;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static float ClassifyRepeatedlyInt8(Int8Context context, float[] snr, byte[] mask, int calls)
    {
        float logit = 0;
        for (int i = 0; i < calls; i++)
        {
            logit = context.Classify(snr, mask).Logit;
        }
        return logit;
    }

    /// <summary>He-uniform weights from a fixed linear congruential sequence (no dependence on System.Random's algorithm).</summary>
    public static ModelDocument Document(NetworkDescription network)
    {
        uint state = 12345;
        var parameters = new float[network.RequiredTensors.Count][];
        for (int t = 0; t < parameters.Length; t++)
        {
            TensorRequirement r = network.RequiredTensors[t];
            double limit = r.Role == TensorRole.Bias ? 0.1 : Math.Sqrt(6.0 / (r.ElementCount / r.Shape[^1]));
            parameters[t] = new float[r.ElementCount];
            for (int i = 0; i < parameters[t].Length; i++)
            {
                parameters[t][i] = (float)(((Next(ref state) * 2) - 1) * limit);
            }
        }
        return ModelDocument.FromParameters("count", network, parameters);
    }

    /// <summary>Background SNR in [-3, 3], 1 pixel in 20 masked out, a few known-source pixels, the trigger pixel at the centre.</summary>
    public static (float[] Snr, byte[] Mask) Alert(int side)
    {
        uint state = 678;
        var snr = new float[side * side];
        var mask = new byte[side * side];
        for (int i = 0; i < snr.Length; i++)
        {
            snr[i] = (float)((Next(ref state) * 6) - 3);
            double u = Next(ref state);
            mask[i] = u < 0.05 ? (byte)0 : u < 0.08 ? (byte)2 : (byte)1;
        }
        mask[(side / 2 * side) + (side / 2)] = 3;
        snr[(side / 2 * side) + (side / 2)] = 9f;
        return (snr, mask);
    }

    private static double Next(ref uint state)
    {
        state = (state * 1664525u) + 1013904223u;
        return (state >> 8) / 16777216.0;
    }
}
