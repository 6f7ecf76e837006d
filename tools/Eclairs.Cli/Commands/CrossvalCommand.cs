using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Eclairs.Simulation;
using Eclairs.Simulation.Formats;
using Eclairs.Training;
using Eclairs.Training.Data;
using Eclairs.Training.Evaluation;
using Eclairs.Training.Networks;

namespace Eclairs.Cli.Commands;

/// <summary>
/// <c>eclairs crossval</c>: repeated stratified k-fold cross-validation of a training set-up (architecture or parent
/// model, frozen layers, optimiser, epochs) on a labelled data set, each fold's model also scored on an optional
/// held-out set: mean and spread of AUC, accuracy, recall and false-alert rejection at the target recall, per cause.
/// </summary>
internal static class CrossvalCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "Labelled data set (.npz) to cross-validate on (unclear alerts left out).", Required = true };
        var folds = new Option<int>("--folds") { Description = "Folds per repeat (stratified by label and cause).", DefaultValueFactory = _ => 5 };
        var repeats = new Option<int>("--repeats") { Description = "Repeats, each with its own fold assignment.", DefaultValueFactory = _ => 3 };
        var test = new Option<string?>("--test") { Description = "Held-out data set (.npz) every fold's model is also scored on." };
        var threshold = new Option<float>("--threshold") { Description = "Decision threshold for accuracy, recall and per-cause results.", DefaultValueFactory = _ => 0.5f };
        var recall = new Option<double>("--recall") { Description = "Target recall of the false-alert rejection figure.", DefaultValueFactory = _ => 0.99 };
        var report = new Option<string?>("--report") { Description = "Folder for crossval.json, crossval.md and folds.csv." };
        var command = new Command("crossval", "Repeated stratified k-fold cross-validation of a training set-up: mean and spread of AUC, accuracy and false-alert rejection, per cause.")
        {
            data, folds, repeats, test, threshold, recall, report,
        };
        TrainingArguments arguments = TrainingArguments.AddTo(command, allowNoTraining: true);
        command.SetAction(parse =>
        {
            int k = parse.GetValue(folds), r = parse.GetValue(repeats);
            float t = parse.GetValue(threshold);
            double target = parse.GetValue(recall);
            Require(k >= 2, $"--folds {k} must be >= 2");
            Require(r >= 1, $"--repeats {r} must be >= 1");
            Require(t >= 0 && t <= 1, $"--threshold {t} must be a probability in [0, 1]");
            Require(target > 0 && target <= 1, $"--recall {target} must be in (0, 1]");
            TrainingPlan plan = arguments.Resolve(parse);
            string dataPath = parse.GetValue(data)!;
            AlertDataset set = DatasetSelection.Labelled(AlertDatasetFile.Read(dataPath));
            LabelledAlerts alerts = Alerts(set);
            AlertDataset? held = parse.GetValue(test) is { } testPath ? DatasetSelection.Labelled(AlertDatasetFile.Read(testPath)) : null;
            var cv = new CrossValidation(alerts, set.Cause, k, r, plan.Options.Seed);
            string what = plan.NoTraining ? $"{plan.Parent!.Name} as it is" : $"{plan.Spec.Name}: {plan.Arguments}";
            Console.WriteLine($"cross-validating {what} on {set.Count} alerts ({set.Label.Count(l => l == 0)} false / {set.Label.Count(l => l == 1)} true), {k} folds x {r} repeats"
                + (held is null ? "" : $", held-out {held.Count} alerts"));
            var progress = new Progress(k * r);
            CrossValidationResult result = cv.Run(
                (run, train) => Fit(plan, run, train),
                held is null ? null : Alerts(held),
                held?.Cause,
                t,
                target,
                progress);
            string markdown = Markdown(result, what, Path.GetFileName(dataPath), held is null ? null : Path.GetFileName(parse.GetValue(test)), t, target);
            Console.Write(markdown);
            if (parse.GetValue(report) is { } dir)
            {
                Directory.CreateDirectory(dir);
                File.WriteAllText(Path.Combine(dir, "crossval.md"), markdown);
                File.WriteAllText(Path.Combine(dir, "crossval.json"), Json(result, what, dataPath, parse.GetValue(test), t, target));
                File.WriteAllText(Path.Combine(dir, "folds.csv"), Csv(result));
            }

            return 0;
        });
        return command;
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    private static LabelledAlerts Alerts(AlertDataset set) => new(set.Snr, set.Mask, set.Label, set.Side, set.Side);

    /// <summary>Trains one fold (or, with --epochs 0, takes the parent as it is) and returns its probabilities on any alerts.</summary>
    private static Func<LabelledAlerts, float[]> Fit(TrainingPlan plan, CrossValidationRun run, LabelledAlerts train)
    {
        TrainingNetwork network = plan.NewNetwork();
        var trainer = new Trainer(network, plan.Options with { Seed = run.Seed });
        if (!plan.NoTraining)
        {
            trainer.Fit(train);
        }

        return alerts => trainer.Evaluate(alerts).Probabilities.ToArray();
    }

    private static string Markdown(CrossValidationResult r, string what, string data, string? heldOut, float threshold, double recall)
    {
        var text = new StringBuilder();
        string rej = string.Create(CultureInfo.InvariantCulture, $"false alerts rejected at {recall:P0} recall");
        text.AppendLine(CultureInfo.InvariantCulture, $"## Cross-validation: {what}");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"{data}, {r.Folds} folds x {r.Repeats} repeats ({r.Runs.Count} models); mean ± standard deviation over the models [min, max]; accuracy and recall at threshold {threshold}.");
        text.AppendLine();
        text.AppendLine(heldOut is null ? "| figure | test folds |" : $"| figure | test folds | held-out {heldOut} |");
        text.AppendLine(heldOut is null ? "|---|---:|" : "|---|---:|---:|");
        foreach ((string name, Func<ScoreFigures, double> f, bool percent) in new (string, Func<ScoreFigures, double>, bool)[]
        {
            ("AUC", s => s.Auc, false), ("accuracy", s => s.Accuracy, true), ("recall", s => s.Recall, true), (rej, s => s.RejectionAtRecall, true),
        })
        {
            text.Append(CultureInfo.InvariantCulture, $"| {name} | {Format(r.Test(f), percent)} |");
            text.AppendLine(heldOut is null ? "" : $" {Format(r.HeldOut(f), percent)} |");
        }

        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Pooled out-of-fold AUC per repeat: {string.Join(", ", r.PooledByRepeat.Select(p => p.Auc.ToString("F4", CultureInfo.InvariantCulture)))}.");
        text.AppendLine();
        text.AppendLine(heldOut is null ? "| cause | n | right (test folds, per repeat) |" : "| cause | n | right (test folds, per repeat) | n held-out | right (held-out, per model) |");
        text.AppendLine(heldOut is null ? "|---|---:|---:|" : "|---|---:|---:|---:|---:|");
        foreach (CauseResult c in r.TestCauses)
        {
            CauseResult? h = r.HeldOutCauses.FirstOrDefault(x => x.Cause == c.Cause);
            text.Append(CultureInfo.InvariantCulture, $"| {CauseNames.Of(c.Cause)} | {c.Count} | {Format(c.Right, true)} |");
            text.AppendLine(heldOut is null ? "" : h is null ? " 0 | |" : $" {h.Count} | {Format(h.Right, true)} |");
        }

        foreach (CauseResult h in r.HeldOutCauses.Where(h => r.TestCauses.All(c => c.Cause != h.Cause)))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {CauseNames.Of(h.Cause)} | 0 | | {h.Count} | {Format(h.Right, true)} |");
        }

        return text.ToString();
    }

    internal static string Format(Spread s, bool percent) => s.Count == 0
        ? "n/a"
        : percent
            ? string.Create(CultureInfo.InvariantCulture, $"{100 * s.Mean:F1} ± {100 * s.StandardDeviation:F1} % [{100 * s.Min:F1}, {100 * s.Max:F1}]")
            : string.Create(CultureInfo.InvariantCulture, $"{s.Mean:F4} ± {s.StandardDeviation:F4} [{s.Min:F4}, {s.Max:F4}]");

    private static string Json(CrossValidationResult r, string what, string data, string? heldOut, float threshold, double recall)
    {
        return JsonSerializer.Serialize(new
        {
            setup = what,
            data,
            heldOut,
            threshold,
            recall,
            folds = r.Folds,
            repeats = r.Repeats,
            test = Summary(r.Test),
            heldOutSummary = heldOut is null ? null : Summary(r.HeldOut),
            pooledByRepeat = r.PooledByRepeat,
            testCauses = r.TestCauses.Select(c => new { cause = CauseNames.Of(c.Cause), c.Count, c.Right }),
            heldOutCauses = r.HeldOutCauses.Select(c => new { cause = CauseNames.Of(c.Cause), c.Count, c.Right }),
            runs = r.Runs,
        }, JsonOptions) + "\n";
    }

    private static Dictionary<string, Spread> Summary(Func<Func<ScoreFigures, double>, Spread> of) => new()
    {
        ["auc"] = of(s => s.Auc),
        ["accuracy"] = of(s => s.Accuracy),
        ["recall"] = of(s => s.Recall),
        ["rejectionAtRecall"] = of(s => s.RejectionAtRecall),
    };

    private static string Csv(CrossValidationResult r)
    {
        var text = new StringBuilder("repeat,fold,train,test,test_auc,test_accuracy,test_recall,test_rejection,heldout_auc,heldout_accuracy,heldout_recall,heldout_rejection,seconds\n");
        foreach (FoldResult f in r.Runs)
        {
            ScoreFigures? h = f.HeldOut;
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"{f.Run.Repeat},{f.Run.Fold},{f.TrainCount},{f.Test.Count},{f.Test.Auc:R},{f.Test.Accuracy:R},{f.Test.Recall:R},{f.Test.RejectionAtRecall:R},{h?.Auc:R},{h?.Accuracy:R},{h?.Recall:R},{h?.RejectionAtRecall:R},{f.Seconds:F1}"));
        }

        return text.ToString();
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new CommandUsageException(message);
        }
    }

    private sealed class Progress(int total) : IProgress<FoldResult>
    {
        private int _done;

        public void Report(FoldResult value)
        {
            _done++;
            string held = value.HeldOut is { } h ? string.Create(CultureInfo.InvariantCulture, $"; held-out AUC {h.Auc:F4}, accuracy {h.Accuracy:P1}") : "";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"[{_done}/{total}] repeat {value.Run.Repeat + 1} fold {value.Run.Fold + 1}: test AUC {value.Test.Auc:F4}, accuracy {value.Test.Accuracy:P1}{held} ({value.Seconds:F0} s)"));
        }
    }
}
