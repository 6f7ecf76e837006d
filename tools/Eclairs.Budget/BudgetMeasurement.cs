using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Eclairs.Onboard.Inference;
using Eclairs.Onboard.Inference.Quantized;

namespace Eclairs.Budget;

/// <summary>
/// The short in-process measurement of `eclairs budget`: medians of single calls on warmed contexts. BenchmarkDotNet
/// (docs/benchmarks.md) stays the reference for speed; this gives the report its per-layer split.
/// </summary>
public static class BudgetMeasurement
{
    /// <summary>Loads and times one model file.</summary>
    /// <param name="path">The .eclw file.</param>
    /// <param name="rounds">Timed calls per item on the best path (the scalar path gets a tenth, at least 5).</param>
    /// <param name="alert">The input (SNR, mask) classified in every call.</param>
    public static ModelFigures Measure(string path, int rounds, (float[] Snr, byte[] Mask) alert)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentOutOfRangeException.ThrowIfLessThan(rounds, 1);
        byte[] bytes = File.ReadAllBytes(path);
        string file = Path.GetFileName(path);
        if (file.EndsWith(".eclw", StringComparison.Ordinal))
        {
            file = file[..^5];
        }
        int scalarRounds = Math.Max(5, rounds / 10);
        ModelDocument document = EclwReader.Read(bytes);
        IReadOnlyList<LayerBudget> layers = LayerBudgets.For(document.Network, document.NumberFormat);
        (float[] snr, byte[] mask) = alert;

        if (document.NumberFormat == NumberFormat.Int8)
        {
            Int8Model best = Int8Model.Load(bytes, KernelPath.Auto);
            Int8Context bestContext = best.CreateContext();
            Int8Context scalar = Int8Model.Load(bytes, KernelPath.Scalar).CreateContext();
            double bestNs = Median(() => bestContext.Classify(snr, mask), rounds);
            double scalarNs = Median(() => scalar.Classify(snr, mask), scalarRounds);
            return new ModelFigures(file, best.Name, NumberFormat.Int8, layers, null, best.KernelPath.ToString(),
                bestNs, scalarNs, best.ModelBytes, best.ContextBytes);
        }

        Model model = Model.Load(bytes);
        InferenceContext context = model.CreateContext();
        InferenceContext scalarContext = Model.Load(bytes, new ModelOptions { KernelPath = KernelPath.Scalar }).CreateContext();
        double[] layerNs = PrefixTimes(document, snr, mask, rounds);
        double classifyNs = Median(() => context.Classify(snr, mask), rounds);
        double scalarClassifyNs = Median(() => scalarContext.Classify(snr, mask), scalarRounds);
        return new ModelFigures(file, model.Name, NumberFormat.Float32, layers, Timing.PerLayer(layerNs, layers.Select(l => l.Macs).ToList()),
            model.KernelPath.ToString(), classifyNs, scalarClassifyNs, model.ModelBytes, context.ContextBytes);
    }

    /// <summary>Median time of every prefix of the network that the engine can run on its own (from Input +
    /// Concatenate on), as planned for real (fusion, Winograd), on the best path; NaN for the bare Input layer and where
    /// a cut would split a fused convolution and pooling.</summary>
    private static double[] PrefixTimes(ModelDocument document, float[] snr, byte[] mask, int rounds)
    {
        int count = document.Network.LayerCount;
        var contexts = new InferenceContext?[count];
        var outputs = new float[count][];
        IReadOnlyList<LayerSpec> specs = document.Network.Layers;
        for (int n = 2; n <= count; n++)
        {
            if (n < count && specs[n - 1] is Conv2DLayer && specs[n] is MaxPool2DLayer)
            {
                continue; // the engine fuses this pooling into the convolution: no cut between them
            }
            InferenceContext c = Model.FromDocument(document.Prefix(n)).CreateContext();
            contexts[n - 1] = c;
            outputs[n - 1] = new float[c.OutputLength];
            for (int w = 0; w < 5; w++)
            {
                c.Evaluate(snr, mask, outputs[n - 1]);
            }
        }
        var samples = new List<double>[count];
        for (int i = 0; i < count; i++)
        {
            samples[i] = new List<double>(rounds);
        }
        // Passes over the prefixes, each prefix timed in a block of consecutive calls: its weights stay in cache as in
        // a classification loop (timing the prefixes in turn call by call would evict the 6.4 MB dense layer every time),
        // and a burst of load in one pass does not fall on one prefix only.
        const int passes = 5;
        int perPass = Math.Max(1, rounds / passes);
        for (int pass = 0; pass < passes; pass++)
        {
            for (int i = 0; i < count; i++)
            {
                InferenceContext? c = contexts[i];
                if (c is null)
                {
                    continue;
                }
                c.Evaluate(snr, mask, outputs[i]);
                for (int r = 0; r < perPass; r++)
                {
                    long t0 = Stopwatch.GetTimestamp();
                    c.Evaluate(snr, mask, outputs[i]);
                    samples[i].Add(Nanoseconds(Stopwatch.GetTimestamp() - t0));
                }
            }
        }
        var medians = new double[count];
        for (int i = 0; i < count; i++)
        {
            medians[i] = samples[i].Count == 0 ? double.NaN : Timing.Median(samples[i]);
        }
        return medians;
    }

    private static double Median(Action call, int rounds)
    {
        // Warm up by time, not by count: tiered JIT runs a method unoptimised until it has been called 30 times and
        // recompiled in the background, so five calls left the int8 kernels (generic over their lane structs) at tier
        // 0 for much of the timed rounds (1.5 ms medians against 0.12 ms optimised).
        long until = Stopwatch.GetTimestamp() + Stopwatch.Frequency;
        for (int w = 0; w < 5 || Stopwatch.GetTimestamp() < until; w++)
        {
            call();
        }
        var samples = new double[rounds];
        for (int r = 0; r < rounds; r++)
        {
            long t0 = Stopwatch.GetTimestamp();
            call();
            samples[r] = Nanoseconds(Stopwatch.GetTimestamp() - t0);
        }
        return Timing.Median(samples);
    }

    private static double Nanoseconds(long ticks) => ticks * 1e9 / Stopwatch.Frequency;
}
