using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using Eclairs.Onboard.Inference;
using Eclairs.Simulation.Formats;
using Xunit;

namespace Eclairs.Cli.Tests;

/// <summary>
/// The evaluation chain run as a user runs it, on a small simulated data set: <c>dataset</c>, <c>make-test-model</c>,
/// <c>baseline</c>, <c>threshold</c>, <c>evaluate</c>. The written files are checked against figures recomputed here
/// from the data set and the engine (pair-count AUC, threshold from sorted probabilities, confusion counts).
/// </summary>
public sealed class EvaluationCommandsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("eclairs-cli-tests-").FullName;

    [Fact]
    public void Threshold_baseline_and_evaluate_write_what_the_data_and_the_engine_say()
    {
        string data = Path.Combine(_dir, "small.npz");
        EclairsProcess.Ok("dataset", "--preset", "seed", "--scale", "0.12", "--seed", "21", "--threads", "1", "--out", data);
        AlertDataset set = AlertDatasetFile.Read(data);
        Assert.True(set.Count >= 50, $"{set.Count} alerts");

        string raw = Path.Combine(_dir, "raw.eclw"), model = Path.Combine(_dir, "model.eclw"), logistic = Path.Combine(_dir, "logistic.json");
        EclairsProcess.Ok("make-test-model", "--arch", "compact-v1", "--seed", "3", "--out", raw);
        EclairsProcess.Ok("baseline", "--data", data, "--out", logistic);
        Assert.Contains("\"logistic-regression\"", File.ReadAllText(logistic), StringComparison.Ordinal);

        // threshold: the highest probability keeping >= 90 % of the true alerts, i.e. the k-th lowest true-alert
        // probability with k = floor(0.1 * true alerts), written into the file with the choice in its provenance.
        EclairsProcess.Ok("threshold", "--model", raw, "--data", data, "--recall", "0.9", "--out", model);
        ModelDocument document = EclwReader.Read(File.ReadAllBytes(model));
        InferenceContext context = Model.Load(File.ReadAllBytes(raw)).CreateContext();
        float[] probability = Enumerable.Range(0, set.Count).Select(i => context.Classify(set.SnrOf(i), set.MaskOf(i)).Probability).ToArray();
        float[] truePs = Enumerable.Range(0, set.Count).Where(i => set.Label[i] == 1).Select(i => probability[i]).Order().ToArray();
        Assert.Equal(truePs[(int)Math.Floor(0.1 * truePs.Length)], document.DecisionThreshold);
        Assert.Contains("threshold: ", document.Provenance, StringComparison.Ordinal);
        Assert.Contains("--recall 0.9", document.Provenance, StringComparison.Ordinal);

        // A second run replaces the threshold line rather than stacking another one.
        EclairsProcess.Ok("threshold", "--model", model, "--data", data, "--recall", "0.9", "--out", model);
        string provenance = EclwReader.Read(File.ReadAllBytes(model)).Provenance;
        Assert.Equal(1, provenance.Split("threshold: ").Length - 1);

        string report = Path.Combine(_dir, "report");
        EclairsProcess.Ok("evaluate", "--model", model, "--data", data, "--logistic", logistic, "--report", report);
        using JsonDocument metrics = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(report, "metrics.json")));
        JsonElement root = metrics.RootElement;
        int n = set.Count;
        Assert.Equal(n, root.GetProperty("n").GetInt32());
        Assert.Equal(document.DecisionThreshold, root.GetProperty("threshold").GetSingle());

        // The confusion matrix at the file's threshold, counted here.
        JsonElement confusion = root.GetProperty("confusion");
        int tp = Enumerable.Range(0, n).Count(i => set.Label[i] == 1 && probability[i] >= document.DecisionThreshold);
        int fp = Enumerable.Range(0, n).Count(i => set.Label[i] == 0 && probability[i] >= document.DecisionThreshold);
        Assert.Equal(tp, confusion.GetProperty("true_positive").GetInt32());
        Assert.Equal(fp, confusion.GetProperty("false_positive").GetInt32());
        Assert.Equal(n, confusion.EnumerateObject().Sum(p => p.Value.GetInt32()));
        Assert.Equal(PairAuc(probability.Select(p => (double)p).ToArray(), set.Label), root.GetProperty("auc").GetDouble(), 12);
        Assert.InRange(root.GetProperty("false_alert_rejection_at_recall_0.99").GetDouble(), 0, 1);

        // Baselines: the trigger keeps every alert and ranks by peak SNR; the logistic model is there.
        JsonElement[] baselines = [.. root.GetProperty("baselines").EnumerateArray()];
        Assert.Equal(["trigger", "logistic"], baselines.Select(b => b.GetProperty("key").GetString()));
        JsonElement trigger = baselines[0];
        Assert.Equal(1.0, trigger.GetProperty("recall").GetDouble());
        Assert.Equal(0.0, trigger.GetProperty("false_alert_rejection").GetDouble());
        Assert.Equal(PairAuc(set.PeakSnr.Select(p => (double)p).ToArray(), set.Label), trigger.GetProperty("auc").GetDouble(), 12);
        Assert.InRange(baselines[1].GetProperty("auc").GetDouble(), 0.5, 1);

        // Subsets: partial and full split the alerts; so do known-source and none.
        JsonElement[] subsets = [.. root.GetProperty("subsets").EnumerateArray()];
        int Size(string key) => subsets.Single(s => s.GetProperty("subset").GetString() == key).GetProperty("n").GetInt32();
        Assert.Equal(set.Partial.Count(p => p != 0), Size("partial"));
        Assert.Equal(n, Size("partial") + Size("full"));
        Assert.Equal(n, Size("known_source") + Size("no_known_source"));

        byte[] png = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
        Assert.Equal(png, File.ReadAllBytes(Path.Combine(report, "roc.png")).Take(8));
        string[] rows = File.ReadAllLines(Path.Combine(report, "scores.csv"));
        Assert.Equal(n + 1, rows.Length);
        Assert.StartsWith("index,label,cause,partial,known_source,model_score,model_decision,trigger_score", rows[0], StringComparison.Ordinal);
        Assert.Equal(probability[0], float.Parse(rows[1].Split(',')[5], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(png, File.ReadAllBytes(Path.Combine(report, "confusion.png")).Take(8));
        string summary = File.ReadAllText(Path.Combine(report, "summary.md"));
        Assert.Contains("| trigger criteria (peak SNR) |", summary, StringComparison.Ordinal);
        Assert.Contains("| partial |", summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Threshold_refuses_an_int8_model_and_a_recall_outside_zero_one()
    {
        string data = Path.Combine(_dir, "tiny.npz");
        EclairsProcess.Ok("dataset", "--preset", "seed", "--scale", "0.02", "--seed", "2", "--threads", "1", "--out", data);
        string raw = Path.Combine(_dir, "raw.eclw");
        EclairsProcess.Ok("make-test-model", "--arch", "compact-v1", "--out", raw);
        (int code, _, string error) = EclairsProcess.Run("threshold", "--model", raw, "--data", data, "--recall", "1.5", "--out", raw);
        Assert.Equal(2, code);
        Assert.Contains("--recall", error, StringComparison.Ordinal);
        string int8 = Path.Combine(_dir, "int8.eclw");
        EclairsProcess.Ok("quantize", "--model", raw, "--calibration", data, "--out", int8);
        (code, _, error) = EclairsProcess.Run("threshold", "--model", int8, "--data", data, "--out", int8);
        Assert.Equal(2, code);
        Assert.Contains("not a float32 model", error, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>P(score of a true alert > score of a false alert), ties half: the O(n²) definition.</summary>
    private static double PairAuc(double[] scores, byte[] labels)
    {
        double sum = 0;
        long pairs = 0;
        for (int i = 0; i < scores.Length; i++)
        {
            for (int j = 0; j < scores.Length; j++)
            {
                if (labels[i] == 1 && labels[j] == 0)
                {
                    sum += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
                    pairs++;
                }
            }
        }

        return sum / pairs;
    }
}
