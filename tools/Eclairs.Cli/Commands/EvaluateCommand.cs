using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using Eclairs.Onboard.Inference;
using Eclairs.Simulation;
using Eclairs.Simulation.Formats;
using Eclairs.Simulation.Pictures;
using Eclairs.Training.Evaluation;

namespace Eclairs.Cli.Commands;

/// <summary>
/// <c>eclairs evaluate</c>: runs a model (float32 or int8) on a labelled data set and writes metrics.json, roc.png,
/// confusion.png and summary.md. Unclear alerts (label 2) are reported apart, never scored.
/// </summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Model file (.eclw).", Required = true };
        var data = new Option<string>("--data") { Description = "Labelled data set (.npz).", Required = true };
        var report = new Option<string>("--report") { Description = "Output folder.", Required = true };
        var command = new Command("evaluate", "Metrics of a model on a data set: metrics.json, ROC and confusion-matrix PNGs, summary.md.")
        {
            model, data, report,
        };
        command.SetAction(parse =>
        {
            string modelPath = parse.GetValue(model)!, dataPath = parse.GetValue(data)!, dir = parse.GetValue(report)!;
            Directory.CreateDirectory(dir);
            AlertDataset set = AlertDatasetFile.Read(dataPath);
            (string name, float[] probability, bool[] decision) = Run(File.ReadAllBytes(modelPath), set);

            var scored = Enumerable.Range(0, set.Count).Where(i => set.Label[i] <= 1).ToArray();
            var metrics = new BinaryMetrics(
                scored.Select(i => (double)probability[i]).ToArray(), scored.Select(i => set.Label[i]).ToArray(), scored.Select(i => decision[i]).ToArray());
            var unclear = Enumerable.Range(0, set.Count).Where(i => set.Label[i] == 2).ToArray();
            var causes = scored.GroupBy(i => set.Cause[i]).OrderBy(g => g.Key)
                .Select(g => (Code: g.Key, Name: CauseNames.Of(g.Key), N: g.Count(), Right: g.Count(i => decision[i] == (set.Label[i] == 1)),
                    MeanP: g.Average(i => (double)probability[i]))).ToArray();

            WriteJson(Path.Combine(dir, "metrics.json"), name, modelPath, dataPath, metrics, unclear.Length,
                unclear.Length == 0 ? double.NaN : unclear.Average(i => decision[i] ? 1.0 : 0.0), causes);
            IReadOnlyList<RocPoint> roc = metrics.Roc();
            new LinePlot { Title = $"ROC: {name}", XLabel = "false alerts kept", YLabel = "true alerts kept", Diagonal = true, XMin = 0, XMax = 1, YMin = 0, YMax = 1 }
                .Add(string.Create(CultureInfo.InvariantCulture, $"{name} (AUC {metrics.Auc:F4})"), roc.Select(p => p.FalsePositiveRate).ToArray(), roc.Select(p => p.TruePositiveRate).ToArray())
                .Render().SavePng(Path.Combine(dir, "roc.png"));
            ConfusionMatrixPicture.Render(["false", "true"],
                [metrics.TrueNegatives, metrics.FalsePositives, metrics.FalseNegatives, metrics.TruePositives], $"{name} on {Path.GetFileName(dataPath)}")
                .SavePng(Path.Combine(dir, "confusion.png"));
            string summary = Summary(name, modelPath, dataPath, metrics, unclear.Length, causes);
            File.WriteAllText(Path.Combine(dir, "summary.md"), summary);
            Console.Write(summary);
            return 0;
        });
        return command;
    }

    private static (string Name, float[] Probability, bool[] Decision) Run(byte[] file, AlertDataset set)
    {
        AnyModel model = AnyModel.Load(file, reference: false);
        var probability = new float[set.Count];
        var decision = new bool[set.Count];
        for (int i = 0; i < set.Count; i++)
        {
            AnyResult r = model.Classify(set.SnrOf(i), set.MaskOf(i));
            (probability[i], decision[i]) = (r.Probability, r.IsTrueAlert);
        }

        return (model.Format == NumberFormat.Int8 ? model.Name + " (int8)" : model.Name, probability, decision);
    }

    private static void WriteJson(string path, string name, string modelPath, string dataPath, BinaryMetrics m, int unclear, double unclearCalledTrue,
        (byte Code, string Name, int N, int Right, double MeanP)[] causes)
    {
        using FileStream stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("model", name);
        json.WriteString("model_file", Path.GetFileName(modelPath));
        json.WriteString("data", Path.GetFileName(dataPath));
        json.WriteNumber("n", m.Count);
        Number(json, "accuracy", m.Accuracy);
        Number(json, "auc", m.Auc);
        Number(json, "precision", m.Precision);
        Number(json, "recall", m.Recall);
        json.WriteStartObject("confusion");
        json.WriteNumber("true_negative", m.TrueNegatives);
        json.WriteNumber("false_positive", m.FalsePositives);
        json.WriteNumber("false_negative", m.FalseNegatives);
        json.WriteNumber("true_positive", m.TruePositives);
        json.WriteEndObject();
        Number(json, "false_alert_rejection_at_recall_0.99", m.FalseAlertRejectionAtRecall(0.99));
        Number(json, "false_alert_rejection_at_recall_0.999", m.FalseAlertRejectionAtRecall(0.999));
        Number(json, "threshold_for_recall_0.99", m.ThresholdForRecall(0.99));
        json.WriteNumber("unclear_n", unclear);
        Number(json, "unclear_called_true", unclearCalledTrue);
        json.WriteStartArray("per_cause");
        foreach ((byte code, string cause, int n, int right, double meanP) in causes)
        {
            json.WriteStartObject();
            json.WriteNumber("cause", code);
            json.WriteString("name", cause);
            json.WriteNumber("n", n);
            Number(json, "accuracy", (double)right / n);
            Number(json, "mean_probability", meanP);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>JSON has no NaN: an undefined figure (one class missing) is written as null.</summary>
    private static void Number(Utf8JsonWriter json, string key, double value)
    {
        if (double.IsFinite(value))
        {
            json.WriteNumber(key, value);
        }
        else
        {
            json.WriteNull(key);
        }
    }

    private static string Summary(string name, string modelPath, string dataPath, BinaryMetrics m, int unclear,
        (byte Code, string Name, int N, int Right, double MeanP)[] causes)
    {
        var s = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        s.AppendLine(c, $"# {name} on {Path.GetFileName(dataPath)}");
        s.AppendLine();
        s.AppendLine(c, $"`eclairs evaluate --model {Path.GetFileName(modelPath)} --data {Path.GetFileName(dataPath)}`: {m.Count} scored alerts, {unclear} unclear left out.");
        s.AppendLine();
        s.AppendLine("| accuracy | AUC | precision | recall | false alerts rejected at 99 % recall | at 99.9 % recall |");
        s.AppendLine("|---:|---:|---:|---:|---:|---:|");
        s.AppendLine(c, $"| {m.Accuracy:P1} | {m.Auc:F4} | {m.Precision:P1} | {m.Recall:P1} | {m.FalseAlertRejectionAtRecall(0.99):P1} | {m.FalseAlertRejectionAtRecall(0.999):P1} |");
        s.AppendLine();
        s.AppendLine(c, $"Confusion at the model's threshold: TN {m.TrueNegatives}, FP {m.FalsePositives}, FN {m.FalseNegatives}, TP {m.TruePositives}.");
        s.AppendLine();
        s.AppendLine("| cause | n | right | mean P(true) |");
        s.AppendLine("|---|---:|---:|---:|");
        foreach ((_, string cause, int n, int right, double meanP) in causes)
        {
            s.AppendLine(c, $"| {cause} | {n} | {(double)right / n:P1} | {meanP:F3} |");
        }

        return s.ToString();
    }
}
