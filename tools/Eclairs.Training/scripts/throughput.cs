#:project ../Eclairs.Training.csproj
#:property TreatWarningsAsErrors=false
// Training throughput probe: `dotnet run tools/Eclairs.Training/scripts/throughput.cs -c Release -- [alerts] [threads...]`.
// Trains one epoch (batch 16, augmentation on, no validation) of each shipped architecture on random 56x56 alerts
// and prints samples per second of wall time and per CPU-second (the latter is robust to other load on a shared
// machine). Weights and data are random: this measures speed only.
using System;
using System.Diagnostics;
using Eclairs.Training;
using Eclairs.Training.Data;
using Eclairs.Training.Networks;
using Eclairs.Training.Randomness;

int alerts = args.Length > 0 ? int.Parse(args[0]) : 512;
int[] threadCounts = args.Length > 1 ? Array.ConvertAll(args[1..], int.Parse) : [1, Environment.ProcessorCount];
var rng = new Xoshiro256StarStar(1);
int pixels = 56 * 56;
var snr = new float[alerts * pixels];
var mask = new byte[alerts * pixels];
var labels = new byte[alerts];
for (int i = 0; i < snr.Length; i++)
{
    snr[i] = (float)rng.NextGaussian();
    mask[i] = (byte)(i % pixels == 28 * 56 + 28 ? 3 : 1);
}

for (int i = 0; i < alerts; i++)
{
    labels[i] = (byte)(i % 2);
}

var data = new LabelledAlerts(snr, mask, labels);
Console.WriteLine($"{alerts} alerts, {Environment.ProcessorCount} cores, Vector<float>.Count = {System.Numerics.Vector<float>.Count}");
foreach (NetworkSpec spec in new[] { Architectures.CnnV1(), Architectures.CompactV1() })
{
    foreach (int threads in threadCounts)
    {
        var network = new TrainingNetwork(spec);
        var options = new TrainingOptions
        {
            Epochs = 1, BatchSize = 16, ValidationFraction = 0, Patience = 0, MaxDegreeOfParallelism = threads,
            Augmentation = new AugmentationOptions { Symmetries = true, SnrNoiseSigma = 0.1 },
        };
        var trainer = new Trainer(network, options);
        trainer.Fit(data.Subset([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15])); // warm-up (JIT)
        var clock = Stopwatch.StartNew();
        TimeSpan cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        trainer.Fit(data);
        double trainRate = alerts / clock.Elapsed.TotalSeconds;
        double cpuRate = alerts / (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
        clock.Restart();
        trainer.Evaluate(data);
        double inferRate = alerts / clock.Elapsed.TotalSeconds;
        Console.WriteLine(
            $"{spec.Name,-11} params {network.ParameterCount,9:N0} threads {threads}: train {trainRate,7:F1} samples/s " +
            $"(16,000-alert epoch {16000 / trainRate,6:F0} s; {cpuRate,7:F1} per CPU-second), forward only {inferRate,7:F1} samples/s");
    }
}
