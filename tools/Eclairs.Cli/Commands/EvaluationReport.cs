using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using Eclairs.Simulation;
using Eclairs.Training.Evaluation;

namespace Eclairs.Cli.Commands;

/// <summary>metrics.json and summary.md of <c>eclairs evaluate</c>.</summary>
internal static class EvaluationReport
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static void WriteJson(string path, Evaluation e)
    {
        Scorer model = e.Scorers[0];
        BinaryMetrics m = model.MetricsOn(e.Scored, e.Set.Label);
        using FileStream stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("model", model.Name);
        json.WriteString("model_file", e.ModelFile);
        json.WriteString("data", e.DataFile);
        Number(json, "threshold", e.Threshold);
        json.WriteString("decision", model.Definition);
        Block(json, m);
        Number(json, "threshold_for_recall_0.99", m.ThresholdForRecall(0.99));
        Calibration(json, model, e);
        if (e.Agreement is { } a)
        {
            json.WriteStartObject("agreement");
            json.WriteString("model_file", a.File);
            json.WriteNumber("n", a.Count);
            json.WriteNumber("same_decision", a.Agree);
            Number(json, "fraction", (double)a.Agree / a.Count);
            json.WriteEndObject();
        }

        json.WriteNumber("unclear_n", e.Unclear.Length);
        Number(json, "unclear_called_true", CalledTrue(model, e.Unclear));
        json.WriteStartArray("per_cause");
        foreach (IGrouping<byte, int> g in e.Scored.GroupBy(i => e.Set.Cause[i]).OrderBy(g => g.Key))
        {
            json.WriteStartObject();
            json.WriteNumber("cause", g.Key);
            json.WriteString("name", CauseNames.Of(g.Key));
            json.WriteNumber("n", g.Count());
            Number(json, "accuracy", g.Average(i => model.Decisions[i] == (e.Set.Label[i] == 1) ? 1.0 : 0.0));
            Number(json, "mean_probability", g.Average(i => model.Scores[i]));
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("baselines");
        foreach (Scorer s in e.Scorers.Skip(1))
        {
            json.WriteStartObject();
            json.WriteString("key", s.Key);
            json.WriteString("name", s.Name);
            json.WriteString("definition", s.Definition);
            if (s.Key == "logistic" && e.LogisticFile is not null)
            {
                json.WriteString("file", e.LogisticFile);
            }

            Block(json, s.MetricsOn(e.Scored, e.Set.Label));
            Calibration(json, s, e);
            Number(json, "unclear_called_true", CalledTrue(s, e.Unclear));
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("subsets");
        foreach ((string key, string definition, int[] alerts) in e.Subsets)
        {
            json.WriteStartObject();
            json.WriteString("subset", key);
            json.WriteString("definition", definition);
            json.WriteNumber("n", alerts.Length);
            json.WriteNumber("n_true", alerts.Count(i => e.Set.Label[i] == 1));
            json.WriteNumber("n_false", alerts.Count(i => e.Set.Label[i] == 0));
            foreach (Scorer s in e.Scorers)
            {
                json.WriteStartObject(s.Key);
                Block(json, s.MetricsOn(alerts, e.Set.Label));
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("unclear_per_cause");
        foreach (IGrouping<byte, int> g in e.Unclear.GroupBy(i => e.Set.Cause[i]).OrderBy(g => g.Key))
        {
            json.WriteStartObject();
            json.WriteNumber("cause", g.Key);
            json.WriteString("name", CauseNames.Of(g.Key));
            json.WriteNumber("n", g.Count());
            foreach (Scorer s in e.Scorers)
            {
                Number(json, s.Key + "_called_true", CalledTrue(s, [.. g]));
            }

            Number(json, "model_mean_probability", g.Average(i => model.Scores[i]));
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>One row per alert (in data-set order, unclear ones too): label, cause, subsets, each scorer's score and decision.</summary>
    public static void WriteScores(string path, Evaluation e)
    {
        var s = new StringBuilder();
        s.Append("index,label,cause,partial,known_source");
        foreach (Scorer scorer in e.Scorers)
        {
            s.Append(C, $",{scorer.Key}_score,{scorer.Key}_decision");
        }

        s.AppendLine();
        for (int i = 0; i < e.Set.Count; i++)
        {
            s.Append(C, $"{i},{e.Set.Label[i]},{e.Set.Cause[i]},{e.Set.Partial[i]},{(e.KnownSource[i] ? 1 : 0)}");
            foreach (Scorer scorer in e.Scorers)
            {
                s.Append(C, $",{scorer.Scores[i]:R},{(scorer.Decisions[i] ? 1 : 0)}");
            }

            s.AppendLine();
        }

        File.WriteAllText(path, s.ToString());
    }

    public static string Summary(Evaluation e)
    {
        Scorer model = e.Scorers[0];
        BinaryMetrics m = model.MetricsOn(e.Scored, e.Set.Label);
        var s = new StringBuilder();
        s.AppendLine(C, $"# {model.Name} on {e.DataFile}");
        s.AppendLine();
        s.AppendLine(C, $"`eclairs evaluate --model {e.ModelFile} --data {e.DataFile}{(e.LogisticFile is null ? "" : " --logistic " + e.LogisticFile)}`: "
            + $"{e.Scored.Length} scored alerts, {e.Unclear.Length} unclear left out; the model's threshold {e.Threshold:R}.");
        s.AppendLine();
        if (e.Scored.Length > 0)
        {
            s.AppendLine("| scorer | accuracy | AUC | precision | recall | false alerts rejected | rejected at 99 % recall | at 99.9 % recall |");
            s.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|");
            foreach (Scorer scorer in e.Scorers)
            {
                BinaryMetrics b = scorer.MetricsOn(e.Scored, e.Set.Label);
                s.AppendLine(C, $"| {scorer.Name} | {b.Accuracy:P1} | {b.Auc:F4} | {b.Precision:P1} | {b.Recall:P1} | {Rejection(b):P1} | {b.FalseAlertRejectionAtRecall(0.99):P1} | {b.FalseAlertRejectionAtRecall(0.999):P1} |");
            }

            s.AppendLine();
            foreach (Scorer scorer in e.Scorers.Skip(1))
            {
                s.AppendLine(C, $"- {scorer.Name}: {scorer.Definition}.");
            }

            s.AppendLine();
            foreach (Scorer scorer in e.Scorers.Where(x => x.IsProbability))
            {
                CalibrationMetrics c = scorer.CalibrationOn(e.Scored, e.Set.Label);
                s.AppendLine(C, $"Calibration of {scorer.Name} (10 equal-width bins, reliability.png): expected calibration error {c.ExpectedCalibrationError:F4}, Brier score {c.BrierScore:F4}, log loss {c.LogLoss:F4}.");
            }

            s.AppendLine();
            s.AppendLine(C, $"Confusion of the model at its threshold: TN {m.TrueNegatives}, FP {m.FalsePositives}, FN {m.FalseNegatives}, TP {m.TruePositives}.");
            if (e.Agreement is { } a)
            {
                s.AppendLine();
                s.AppendLine(C, $"Decisions alike with {a.File}: {a.Agree} of {a.Count} alerts ({100.0 * a.Agree / a.Count:F2} %).");
            }

            s.AppendLine();
            s.AppendLine("Subsets (AUC; false alerts rejected at 99 % recall, the threshold re-chosen within the subset):");
            s.AppendLine();
            s.AppendLine(C, $"| subset | n (false / true) | {string.Join(" | ", e.Scorers.Select(x => x.Key))} |");
            s.AppendLine(C, $"|---|---:|{string.Concat(e.Scorers.Select(_ => "---:|"))}");
            foreach ((string key, _, int[] alerts) in e.Subsets)
            {
                var cells = e.Scorers.Select(x => x.MetricsOn(alerts, e.Set.Label)).Select(b => string.Create(C, $"{b.Auc:F4}; {b.FalseAlertRejectionAtRecall(0.99):P1}"));
                s.AppendLine(C, $"| {key} | {alerts.Count(i => e.Set.Label[i] == 0)} / {alerts.Count(i => e.Set.Label[i] == 1)} | {string.Join(" | ", cells)} |");
            }

            s.AppendLine();
            s.AppendLine("| cause | n | right | mean P(true) |");
            s.AppendLine("|---|---:|---:|---:|");
            foreach (IGrouping<byte, int> g in e.Scored.GroupBy(i => e.Set.Cause[i]).OrderBy(g => g.Key))
            {
                double right = g.Average(i => model.Decisions[i] == (e.Set.Label[i] == 1) ? 1.0 : 0.0);
                s.AppendLine(C, $"| {CauseNames.Of(g.Key)} | {g.Count()} | {right:P1} | {g.Average(i => model.Scores[i]):F3} |");
            }
        }

        if (e.Unclear.Length > 0)
        {
            s.AppendLine();
            s.AppendLine("Unclear alerts (label 2, not scored): the fraction each scorer calls true.");
            s.AppendLine();
            s.AppendLine(C, $"| cause | n | {string.Join(" | ", e.Scorers.Select(x => x.Key))} | model mean P |");
            s.AppendLine(C, $"|---|---:|{string.Concat(e.Scorers.Select(_ => "---:|"))}---:|");
            foreach (IGrouping<byte, int> g in e.Unclear.GroupBy(i => e.Set.Cause[i]).OrderBy(g => g.Key))
            {
                s.AppendLine(C, $"| {CauseNames.Of(g.Key)} | {g.Count()} | {string.Join(" | ", e.Scorers.Select(x => string.Create(C, $"{CalledTrue(x, [.. g]):P1}")))} | {g.Average(i => model.Scores[i]):F3} |");
            }
        }

        return s.ToString();
    }

    /// <summary>
    /// "calibration": expected calibration error over 10 equal-width bins, Brier score, log loss and the bins (the
    /// reliability diagram's points), for scorers whose output is a probability.
    /// </summary>
    private static void Calibration(Utf8JsonWriter json, Scorer s, Evaluation e)
    {
        if (!s.IsProbability || e.Scored.Length == 0)
        {
            return;
        }

        CalibrationMetrics c = s.CalibrationOn(e.Scored, e.Set.Label);
        json.WriteStartObject("calibration");
        Number(json, "expected_calibration_error", c.ExpectedCalibrationError);
        Number(json, "brier_score", c.BrierScore);
        Number(json, "log_loss", c.LogLoss);
        json.WriteStartArray("bins");
        foreach (CalibrationBin b in c.Bins)
        {
            json.WriteStartObject();
            Number(json, "lower", b.Lower);
            Number(json, "upper", b.Upper);
            json.WriteNumber("n", b.Count);
            Number(json, "mean_probability", b.MeanProbability);
            Number(json, "fraction_true", b.FractionTrue);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>The figures every scorer gets, on one set of alerts.</summary>
    private static void Block(Utf8JsonWriter json, BinaryMetrics m)
    {
        json.WriteNumber("n", m.Count);
        Number(json, "accuracy", m.Accuracy);
        Number(json, "auc", m.Auc);
        Number(json, "precision", m.Precision);
        Number(json, "recall", m.Recall);
        Number(json, "false_alert_rejection", Rejection(m));
        json.WriteStartObject("confusion");
        json.WriteNumber("true_negative", m.TrueNegatives);
        json.WriteNumber("false_positive", m.FalsePositives);
        json.WriteNumber("false_negative", m.FalseNegatives);
        json.WriteNumber("true_positive", m.TruePositives);
        json.WriteEndObject();
        Number(json, "false_alert_rejection_at_recall_0.99", m.FalseAlertRejectionAtRecall(0.99));
        Number(json, "false_alert_rejection_at_recall_0.999", m.FalseAlertRejectionAtRecall(0.999));
    }

    private static double Rejection(BinaryMetrics m) =>
        m.TrueNegatives + m.FalsePositives == 0 ? double.NaN : (double)m.TrueNegatives / (m.TrueNegatives + m.FalsePositives);

    private static double CalledTrue(Scorer s, int[] alerts) => alerts.Length == 0 ? double.NaN : alerts.Average(i => s.Decisions[i] ? 1.0 : 0.0);

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
}
