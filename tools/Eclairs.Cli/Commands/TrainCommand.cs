using System;
using System.CommandLine;
using System.Globalization;
using System.IO;
using Eclairs.Onboard.Inference;
using Eclairs.Simulation.Formats;
using Eclairs.Training;
using Eclairs.Training.Data;
using Eclairs.Training.Export;
using Eclairs.Training.Networks;
using Spectre.Console;
using TrainingArchitectures = Eclairs.Training.Networks.Architectures;

namespace Eclairs.Cli.Commands;

/// <summary>
/// <c>eclairs train</c>: trains an architecture on a labelled .npz data set (unclear alerts, label 2, left out) and
/// writes the engine's .eclw with the exact command in its provenance.
/// </summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "Training data set (.npz).", Required = true };
        Option<string> arch = ArchitectureOption.Create();
        var epochs = new Option<int>("--epochs") { Description = "Most epochs (early stopping may end sooner).", DefaultValueFactory = _ => 40 };
        var batch = new Option<int>("--batch") { Description = "Mini-batch size.", DefaultValueFactory = _ => 16 };
        var seed = new Option<ulong>("--seed") { Description = "Seed of initialisation, split, shuffles, dropout, augmentation.", DefaultValueFactory = _ => 1 };
        var patience = new Option<int>("--patience") { Description = "Epochs without a better validation loss before stopping.", DefaultValueFactory = _ => 8 };
        var threshold = new Option<float>("--threshold") { Description = "Decision threshold stored in the model.", DefaultValueFactory = _ => 0.5f };
        var output = new Option<string>("--out") { Description = "Output model (.eclw).", Required = true };
        var command = new Command("train", "Train a network on a simulated data set and write the model file.")
        {
            data, arch, epochs, batch, seed, patience, threshold, output,
        };
        command.SetAction(parse =>
        {
            string name = parse.GetValue(arch)!;
            AlertDataset set = Labelled(AlertDatasetFile.Read(parse.GetValue(data)!));
            var alerts = new LabelledAlerts(set.Snr, set.Mask, set.Label, set.Side, set.Side);
            var network = new TrainingNetwork(TrainingArchitectures.ByName(name));
            var options = new TrainingOptions
            {
                Epochs = parse.GetValue(epochs),
                BatchSize = parse.GetValue(batch),
                Seed = parse.GetValue(seed),
                Patience = parse.GetValue(patience),
            };
            var trainer = new Trainer(network, options);
            Console.WriteLine($"training {name} ({network.ParameterCount:N0} parameters) on {set.Count} alerts, {options.Epochs} epochs, batch {options.BatchSize}");
            TrainingResult result = null!;
            AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .Start(ctx =>
                {
                    ProgressTask task = ctx.AddTask("epoch 1", maxValue: options.Epochs);
                    var progress = new SynchronousProgress<TrainingProgress>(p =>
                    {
                        task.Value = p.Epoch - 1 + ((double)p.Batch / Math.Max(1, p.Batches));
                        task.Description = string.Create(CultureInfo.InvariantCulture, $"epoch {p.Epoch}/{p.Epochs} loss {p.RunningLoss:F4}");
                        if (p.EpochEnd is { } end)
                        {
                            AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                                $"epoch {end.Epoch}: train loss {end.TrainLoss:F4}, validation loss {end.ValidationLoss:F4}, accuracy {end.ValidationAccuracy:P1}{(end.Improved ? " *" : "")}"));
                        }
                    });
                    result = trainer.Fit(alerts, validation: null, progress);
                    task.Value = task.MaxValue;
                });

            string provenance = string.Create(CultureInfo.InvariantCulture,
                $"eclairs train --data {Path.GetFileName(parse.GetValue(data))} --arch {name} --epochs {options.Epochs} --batch {options.BatchSize} --seed {options.Seed} --patience {options.Patience} --threshold {parse.GetValue(threshold)}; "
                + $"{set.Count} alerts; best epoch {result.BestEpoch}, validation loss {result.BestValidationLoss:F4}; {result.Elapsed.TotalSeconds:F0} s");
            ModelDocument document = TrainedNetwork.From(network).ToEngineModel(name, parse.GetValue(threshold), provenance);
            File.WriteAllBytes(parse.GetValue(output)!, EclwWriter.ToBytes(document));
            Console.WriteLine($"wrote {parse.GetValue(output)}: best epoch {result.BestEpoch}, validation loss {result.BestValidationLoss:F4}, {result.Elapsed.TotalSeconds:F0} s ({result.SamplesPerSecond:F0} samples/s)");
            return 0;
        });
        return command;
    }

    /// <summary>The alerts labelled false or true: unclear ones (label 2) are kept out of training.</summary>
    private static AlertDataset Labelled(AlertDataset set)
    {
        var keep = new System.Collections.Generic.List<int>();
        for (int i = 0; i < set.Count; i++)
        {
            if (set.Label[i] != (byte)AlertLabel.Unclear)
            {
                keep.Add(i);
            }
        }

        return keep.Count == set.Count ? set : set.Select(keep);
    }

    /// <summary>Reports on the calling thread (Progress&lt;T&gt; would post to the thread pool and reorder lines).</summary>
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        private readonly object _gate = new();

        public void Report(T value)
        {
            lock (_gate)
            {
                report(value);
            }
        }
    }
}
