using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using Eclairs.Onboard.Inference;
using Eclairs.Simulation.Formats;
using Eclairs.Simulation.Pictures;
using Eclairs.Training.Evaluation;

namespace Eclairs.Cli.Commands;

/// <summary>
/// <c>eclairs evaluate</c>: runs a model (float32 or int8) on a labelled data set beside two baselines (the trigger's
/// own criteria, and a logistic regression on hand-made features when <c>--logistic</c> is given) and writes
/// metrics.json, scores.csv (per alert), roc.png, confusion.png and summary.md, with results on partial, full and known-source subsets.
/// Unclear alerts (label 2) are reported apart (the fraction each scorer calls true), never scored.
/// </summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Model file (.eclw).", Required = true };
        var data = new Option<string>("--data") { Description = "Labelled data set (.npz).", Required = true };
        var report = new Option<string>("--report") { Description = "Output folder.", Required = true };
        var logistic = new Option<string?>("--logistic") { Description = "Logistic-regression baseline (.json from `eclairs baseline`)." };
        var command = new Command("evaluate", "Metrics of a model and baselines on a data set: metrics.json, ROC and confusion-matrix PNGs, summary.md.")
        {
            model, data, report, logistic,
        };
        command.SetAction(parse =>
        {
            string modelPath = parse.GetValue(model)!, dataPath = parse.GetValue(data)!, dir = parse.GetValue(report)!;
            string? logisticPath = parse.GetValue(logistic);
            Directory.CreateDirectory(dir);
            AlertDataset set = AlertDatasetFile.Read(dataPath);
            byte[] file = File.ReadAllBytes(modelPath);
            ModelScores scores = ModelScores.Of(file, set);
            float threshold = EclwReader.Read(file).DecisionThreshold;
            var scorers = new List<Scorer> { Scorer.Network(scores, threshold), Scorer.Trigger(set) };
            if (logisticPath is not null)
            {
                scorers.Add(Scorer.Logistic(LogisticRegression.Load(logisticPath), set));
            }

            var evaluation = new Evaluation(set, scorers, Path.GetFileName(modelPath), Path.GetFileName(dataPath), threshold,
                logisticPath is null ? null : Path.GetFileName(logisticPath));
            EvaluationReport.WriteJson(Path.Combine(dir, "metrics.json"), evaluation);
            EvaluationReport.WriteScores(Path.Combine(dir, "scores.csv"), evaluation);
            Pictures(dir, evaluation);
            string summary = EvaluationReport.Summary(evaluation);
            File.WriteAllText(Path.Combine(dir, "summary.md"), summary);
            Console.Write(summary);
            return 0;
        });
        return command;
    }

    private static void Pictures(string dir, Evaluation e)
    {
        if (e.Scored.Length == 0)
        {
            return;
        }

        var plot = new LinePlot { Title = $"ROC: {e.Scorers[0].Name}", XLabel = "false alerts kept", YLabel = "true alerts kept", Diagonal = true, XMin = 0, XMax = 1, YMin = 0, YMax = 1 };
        foreach (Scorer s in e.Scorers)
        {
            BinaryMetrics m = s.MetricsOn(e.Scored, e.Set.Label);
            IReadOnlyList<RocPoint> roc = m.Roc();
            plot.Add(string.Create(CultureInfo.InvariantCulture, $"{s.Name} (AUC {m.Auc:F4})"),
                roc.Select(p => p.FalsePositiveRate).ToArray(), roc.Select(p => p.TruePositiveRate).ToArray(), dashed: s.Key != "model");
        }

        plot.Render().SavePng(Path.Combine(dir, "roc.png"));
        BinaryMetrics model = e.Scorers[0].MetricsOn(e.Scored, e.Set.Label);
        ConfusionMatrixPicture.Render(["false", "true"],
            [model.TrueNegatives, model.FalsePositives, model.FalseNegatives, model.TruePositives], $"{e.Scorers[0].Name} on {e.DataFile}")
            .SavePng(Path.Combine(dir, "confusion.png"));
    }
}

/// <summary>What one <c>eclairs evaluate</c> run scores: the data, the scorers (the model first) and the alert subsets.</summary>
internal sealed class Evaluation
{
    public Evaluation(AlertDataset set, IReadOnlyList<Scorer> scorers, string modelFile, string dataFile, float threshold, string? logisticFile)
    {
        Set = set;
        Scorers = scorers;
        ModelFile = modelFile;
        DataFile = dataFile;
        Threshold = threshold;
        LogisticFile = logisticFile;
        Scored = [.. Enumerable.Range(0, set.Count).Where(i => set.Label[i] <= 1)];
        Unclear = [.. Enumerable.Range(0, set.Count).Where(i => set.Label[i] == 2)];
        bool[] known = KnownSource = new bool[set.Count];
        for (int i = 0; i < set.Count; i++)
        {
            known[i] = set.MaskOf(i).Contains((byte)2);
        }

        Subsets =
        [
            ("partial", "sub-image has pixels with mask 0", [.. Scored.Where(i => set.Partial[i] != 0)]),
            ("full", "no pixel with mask 0", [.. Scored.Where(i => set.Partial[i] == 0)]),
            ("known_source", "a known source (mask 2) in the sub-image", [.. Scored.Where(i => known[i])]),
            ("no_known_source", "no mask-2 pixel", [.. Scored.Where(i => !known[i])]),
        ];
    }

    public AlertDataset Set { get; }

    public IReadOnlyList<Scorer> Scorers { get; }

    public string ModelFile { get; }

    public string DataFile { get; }

    public float Threshold { get; }

    public string? LogisticFile { get; }

    /// <summary>Alerts labelled false or true.</summary>
    public int[] Scored { get; }

    /// <summary>Alerts labelled unclear.</summary>
    public int[] Unclear { get; }

    public IReadOnlyList<(string Key, string Definition, int[] Alerts)> Subsets { get; }

    /// <summary>Per alert: a known source (mask 2) in the sub-image.</summary>
    public bool[] KnownSource { get; }
}
