using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using Eclairs.Onboard.Inference;
using Eclairs.Simulation;
using Eclairs.Simulation.Formats;
using Eclairs.Simulation.Pictures;
using Eclairs.Training.Evaluation;

namespace Eclairs.Cli.Commands;

/// <summary>
/// <c>eclairs evaluate</c>: runs a model (float32 or int8) on a labelled data set beside two baselines (the trigger's
/// own criteria, and a logistic regression on hand-made features when <c>--logistic</c> is given) and writes
/// metrics.json (with ECE and Brier score), scores.csv (per alert), roc.png, reliability.png, causes.png, confusion.png and summary.md, with results on partial, full and known-source subsets.
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
        var agreement = new Option<string?>("--agreement") { Description = "Another model (e.g. the float32 model of an int8 one): count the alerts both decide alike." };
        var command = new Command("evaluate", "Metrics of a model and baselines on a data set: metrics.json, ROC, reliability, per-cause and confusion PNGs, summary.md.")
        {
            model, data, report, logistic, agreement,
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
            if (parse.GetValue(agreement) is { } referencePath)
            {
                bool[] reference = ModelScores.Of(File.ReadAllBytes(referencePath), set).Decision;
                evaluation.Agreement = (Path.GetFileName(referencePath), Enumerable.Range(0, set.Count).Count(i => reference[i] == scores.Decision[i]), set.Count);
            }

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

    /// <summary>roc.png (log false-alert axis), reliability.png, causes.png and confusion.png, drawn by ScottPlot.</summary>
    private static void Pictures(string dir, Evaluation e)
    {
        if (e.Scored.Length == 0)
        {
            return;
        }

        var roc = new List<ChartSeries>();
        int negatives = e.Scored.Count(i => e.Set.Label[i] == 0);
        foreach (Scorer s in e.Scorers)
        {
            BinaryMetrics m = s.MetricsOn(e.Scored, e.Set.Label);
            IReadOnlyList<RocPoint> points = m.Roc();
            roc.Add(new ChartSeries(string.Create(CultureInfo.InvariantCulture, $"{s.Name} (AUC {m.Auc:F4})"),
                points.Select(p => p.FalsePositiveRate).ToArray(), points.Select(p => p.TruePositiveRate).ToArray(), Dashed: s.Key != "model"));
        }

        // The log axis starts a decade below one false alert in the set (a rate of 0 is drawn there).
        double floor = Math.Pow(10, Math.Floor(Math.Log10(0.5 / Math.Max(1, negatives))));
        Charts.Roc($"ROC: {e.Scorers[0].Name} on {e.DataFile}", roc, floor, 0.99, Path.Combine(dir, "roc.png"));
        Charts.Reliability($"Reliability: {e.DataFile}",
            e.Scorers.Where(s => s.IsProbability).Select(s => (s.Name, (IReadOnlyList<ReliabilityBin>)s.CalibrationOn(e.Scored, e.Set.Label).Bins
                .Select(b => new ReliabilityBin(b.MeanProbability, b.FractionTrue, b.Count)).ToArray())).ToArray(),
            Path.Combine(dir, "reliability.png"));
        Scorer model = e.Scorers[0];
        IGrouping<byte, int>[] causes = [.. e.Scored.GroupBy(i => e.Set.Cause[i]).OrderBy(g => g.Key)];
        Charts.Bars($"{model.Name}: decided right, per cause", "decided right at the model's threshold",
            causes.Select(g => string.Create(CultureInfo.InvariantCulture, $"{CauseNames.Of(g.Key)} ({g.Count()})")).ToArray(),
            causes.Select(g => g.Average(i => model.Decisions[i] == (e.Set.Label[i] == 1) ? 1.0 : 0.0)).ToArray(),
            path: Path.Combine(dir, "causes.png"));
        BinaryMetrics c = model.MetricsOn(e.Scored, e.Set.Label);
        Charts.Confusion($"{model.Name} on {e.DataFile}", ["false", "true"],
            [c.TrueNegatives, c.FalsePositives, c.FalseNegatives, c.TruePositives], Path.Combine(dir, "confusion.png"));
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

    /// <summary>With --agreement: the other model's file and on how many of the alerts both decide alike.</summary>
    public (string File, int Agree, int Count)? Agreement { get; set; }
}
