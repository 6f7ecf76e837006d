using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using Eclairs.Onboard.Inference;
using Eclairs.Simulation.Formats;
using Eclairs.Simulation.Formats.Replay;

namespace Eclairs.Cli.Commands;

/// <summary>
/// <c>eclairs vectors</c>: records what the managed engine answers for a set of alerts, as a <c>.eclv</c> file the
/// HIL harness replays through the native library (on another target, the bits must agree).
/// </summary>
internal static class VectorsCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Model file (.eclw).", Required = true };
        var data = new Option<string?>("--data") { Description = "Alerts to record (.npz data set); without it, seeded synthetic alerts." };
        var count = new Option<int>("--count") { Description = "Number of alerts.", DefaultValueFactory = _ => 64 };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the synthetic alerts.", DefaultValueFactory = _ => 1 };
        var output = new Option<string>("--out") { Description = "Output .eclv file.", Required = true };
        var command = new Command("vectors", "Record the engine's answers for alerts, for the HIL harness to replay.")
        {
            model, data, count, seed, output,
        };
        command.SetAction(parse =>
        {
            byte[] file = File.ReadAllBytes(parse.GetValue(model)!);
            string? path = parse.GetValue(data);
            IEnumerable<(float[] Snr, byte[] Mask)> alerts = path is null
                ? Synthetic(parse.GetValue(count), parse.GetValue(seed))
                : FromDataset(AlertDatasetFile.Read(path), parse.GetValue(count));
            // The scalar reference is the golden path every target must reproduce (int8 bit for bit).
            AlertClassifier loaded = AlertClassifier.Load(file, new ModelOptions { KernelPath = KernelPath.Scalar });
            AlertClassifierContext context = loaded.CreateContext();
            var vectors = new List<ReplayVector>();
            foreach ((float[] snr, byte[] mask) in alerts)
            {
                AlertClassification r = context.Classify(snr, mask);
                vectors.Add(new ReplayVector(snr, mask, r.Logit, r.RawLogit, r.IsTrueAlert));
            }

            ReplayVectorFile.Write(parse.GetValue(output)!, (uint)loaded.NumberFormat, loaded.Checksum, vectors);
            Console.WriteLine($"wrote {vectors.Count} vectors of {loaded.Name} ({loaded.NumberFormat}, scalar reference path) to {parse.GetValue(output)}");
            return 0;
        });
        return command;
    }

    private static IEnumerable<(float[], byte[])> FromDataset(AlertDataset set, int count)
    {
        for (int i = 0; i < Math.Min(count, set.Count); i++)
        {
            yield return (set.SnrOf(i).ToArray(), set.MaskOf(i).ToArray());
        }
    }

    /// <summary>
    /// Alert-shaped inputs: Gaussian background SNR, a point-like peak at the trigger pixel, a few known-source
    /// pixels, masked borders holding NaN (which the library must ignore).
    /// </summary>
    private static IEnumerable<(float[], byte[])> Synthetic(int count, ulong seed)
    {
        var rng = new Random(unchecked((int)seed));
        for (int n = 0; n < count; n++)
        {
            var snr = new float[3136];
            var mask = new byte[3136];
            int cut = rng.Next(0, 20);
            double peak = 5 + (rng.NextDouble() * 20);
            for (int y = 0; y < 56; y++)
            {
                for (int x = 0; x < 56; x++)
                {
                    int i = (y * 56) + x;
                    double r2 = ((y - 28) * (y - 28)) + ((x - 28) * (x - 28));
                    double gauss = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
                    snr[i] = (float)(gauss + (peak * Math.Exp(-r2 / 2.0)));
                    mask[i] = x < cut ? (byte)0 : (byte)1;
                    if (mask[i] == 0)
                    {
                        snr[i] = float.NaN;
                    }
                }
            }

            mask[(28 * 56) + 28] = 3;
            mask[(10 * 56) + 40] = 2;
            yield return (snr, mask);
        }
    }
}
