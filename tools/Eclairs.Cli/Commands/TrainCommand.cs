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

namespace Eclairs.Cli.Commands;

/// <summary>
/// <c>eclairs train</c>: trains an architecture (named or a .json file), or fine-tunes a model (<c>--init</c>, with
/// <c>--freeze</c>), on a labelled .npz data set (unclear alerts, label 2, left out) and writes the engine's .eclw with
/// the exact command, the parent's checksum and the frozen layers in its provenance, and the training curves
/// (loss and validation AUC per epoch) beside it.
/// </summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "Training data set (.npz).", Required = true };
        var threshold = new Option<float?>("--threshold") { Description = "Decision threshold stored in the model (default: the --init model's, else 0.5)." };
        var output = new Option<string>("--out") { Description = "Output model (.eclw); <name>.history.csv and <name>.curves.png go beside it.", Required = true };
        var command = new Command("train", "Train a network, or fine-tune a model (--init, --freeze), on a labelled data set and write the model file.")
        {
            data, threshold, output,
        };
        TrainingArguments arguments = TrainingArguments.AddTo(command);
        command.SetAction(parse =>
        {
            TrainingPlan plan = arguments.Resolve(parse);
            float t = parse.GetValue(threshold) ?? plan.Parent?.DecisionThreshold ?? 0.5f;
            if (!(t >= 0 && t <= 1))
            {
                throw new CommandUsageException($"--threshold {t} must be a probability in [0, 1]");
            }

            string dataPath = parse.GetValue(data)!, outPath = parse.GetValue(output)!;
            AlertDataset set = DatasetSelection.Labelled(AlertDatasetFile.Read(dataPath));
            var alerts = new LabelledAlerts(set.Snr, set.Mask, set.Label, set.Side, set.Side);
            TrainingNetwork network = plan.NewNetwork();
            var trainer = new Trainer(network, plan.Options);
            Console.WriteLine($"training {plan.Spec.Name} ({network.ParameterCount:N0} parameters{(plan.Parent is null ? "" : ", from " + plan.Lineage)}) on {set.Count} alerts, {plan.Options.Epochs} epochs, batch {plan.Options.BatchSize}");
            TrainingResult result = Run(trainer, alerts, plan.Options.Epochs);

            double bestAuc = result.BestEpoch > 0 ? result.History[result.BestEpoch - 1].ValidationAuc : double.NaN;
            string provenance = string.Create(CultureInfo.InvariantCulture,
                $"eclairs train --data {Path.GetFileName(dataPath)} {plan.Arguments} --threshold {t}; {(plan.Lineage.Length > 0 ? plan.Lineage + "; " : "")}"
                + $"{set.Count} alerts; best epoch {result.BestEpoch}, validation loss {result.BestValidationLoss:F4}, validation AUC {bestAuc:F4}; {result.Elapsed.TotalSeconds:F0} s");
            ModelDocument document = TrainedNetwork.From(network).ToEngineModel(plan.Spec.Name, t, provenance);
            File.WriteAllBytes(outPath, EclwWriter.ToBytes(document));
            string stem = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(outPath))!, Path.GetFileNameWithoutExtension(outPath));
            TrainingCurves.WriteCsv(stem + ".history.csv", result);
            TrainingCurves.WritePng(stem + ".curves.png", result, $"{plan.Spec.Name} on {Path.GetFileName(dataPath)}");
            Console.WriteLine($"wrote {outPath}: best epoch {result.BestEpoch}, validation loss {result.BestValidationLoss:F4}, AUC {bestAuc:F4}, {result.Elapsed.TotalSeconds:F0} s ({result.SamplesPerSecond:F0} samples/s); curves {stem}.curves.png");
            return 0;
        });
        return command;
    }

    /// <summary>Fits with a progress bar and one line per epoch.</summary>
    internal static TrainingResult Run(Trainer trainer, LabelledAlerts alerts, int epochs)
    {
        TrainingResult result = null!;
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                ProgressTask task = ctx.AddTask("epoch 1", maxValue: epochs);
                var progress = new SynchronousProgress<TrainingProgress>(p =>
                {
                    task.Value = p.Epoch - 1 + ((double)p.Batch / Math.Max(1, p.Batches));
                    task.Description = string.Create(CultureInfo.InvariantCulture, $"epoch {p.Epoch}/{p.Epochs} loss {p.RunningLoss:F4}");
                    if (p.EpochEnd is { } end)
                    {
                        AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                            $"epoch {end.Epoch}: train loss {end.TrainLoss:F4}, validation loss {end.ValidationLoss:F4}, accuracy {end.ValidationAccuracy:P1}, AUC {end.ValidationAuc:F4}{(end.Improved ? " *" : "")}"));
                    }
                });
                result = trainer.Fit(alerts, validation: null, progress);
                task.Value = task.MaxValue;
            });
        return result;
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
