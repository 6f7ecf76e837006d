using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using Eclairs.Onboard.Inference;
using Eclairs.Simulation.Formats;
using Xunit;

namespace Eclairs.Cli.Tests;

/// <summary>A small simulated data set shared by the training-command tests (made once, by the dataset command).</summary>
public sealed class SmallDataset : IDisposable
{
    public SmallDataset()
    {
        Dir = Directory.CreateTempSubdirectory("eclairs-train-tests-").FullName;
        Path = System.IO.Path.Combine(Dir, "small.npz");
        EclairsProcess.Ok("dataset", "--preset", "seed", "--scale", "0.12", "--seed", "31", "--threads", "1", "--out", Path);
        Set = AlertDatasetFile.Read(Path);
    }

    public string Dir { get; }

    public string Path { get; }

    public AlertDataset Set { get; }

    public void Dispose() => Directory.Delete(Dir, recursive: true);
}

/// <summary>
/// train (from scratch, fine-tuned with frozen layers, from an architecture file), crossval and calibrate run as
/// processes; their files are checked against the parent model, the engine and figures recomputed here.
/// </summary>
public sealed class TrainingCommandsTests(SmallDataset small) : IClassFixture<SmallDataset>
{
    private static string Shipped => System.IO.Path.Combine(CliPaths.RepositoryRoot(), "weights", "eclairs-compact-v1.f32.eclw");

    private string Out(string name) => System.IO.Path.Combine(small.Dir, name);

    [Fact]
    public void Fine_tuning_with_frozen_convolutions_keeps_them_bit_for_bit_and_records_the_parent()
    {
        string output = Out("tuned.eclw");
        EclairsProcess.Ok("train", "--data", small.Path, "--init", Shipped, "--freeze", "conv1,conv2,6,conv4", "--epochs", "2", "--lr", "3e-4", "--weight-decay", "1e-4", "--out", output);
        ModelDocument parent = EclwReader.Read(File.ReadAllBytes(Shipped)), child = EclwReader.Read(File.ReadAllBytes(output));
        foreach (TensorEntry p in parent.Tensors)
        {
            TensorEntry c = child.Tensors.Single(t => t.LayerIndex == p.LayerIndex && t.Role == p.Role);
            bool frozen = p.LayerIndex is 2 or 4 or 6 or 8;
            Assert.True(frozen == p.Data.Span.SequenceEqual(c.Data.Span), $"layer {p.LayerIndex} {p.Role}: frozen {frozen}");
        }

        uint crc = Model.Load(File.ReadAllBytes(Shipped)).Checksum;
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"parent: compact-v1 eclairs-compact-v1.f32.eclw CRC-32 {crc:X8}"), child.Provenance, StringComparison.Ordinal);
        Assert.Contains("frozen: conv1 (layer 2), conv2 (layer 4), conv3 (layer 6), conv4 (layer 8)", child.Provenance, StringComparison.Ordinal);
        Assert.Contains("--lr 0.0003 --weight-decay 0.0001", child.Provenance, StringComparison.Ordinal);
        Assert.Equal(parent.Network.Layers, child.Network.Layers);
        Assert.Equal(parent.DecisionThreshold, child.DecisionThreshold); // a fine-tuned model keeps its parent's operating point
    }

    [Fact]
    public void Training_from_an_architecture_file_writes_the_model_its_history_and_its_curves()
    {
        string arch = Out("narrow.json");
        EclairsProcess.Ok("describe", "--arch", "compact-v1", "--save-arch", arch);
        File.WriteAllText(arch, File.ReadAllText(arch).Replace("\"conv2d 3x3 16 same relu\"", "\"conv2d 5x5 8 same relu\"", StringComparison.Ordinal).Replace("compact-v1", "compact-narrow", StringComparison.Ordinal));
        string output = Out("narrow.eclw");
        string stdout = EclairsProcess.Ok("train", "--data", small.Path, "--arch", arch, "--epochs", "2", "--patience", "0", "--out", output);
        Assert.Contains("training compact-narrow", stdout, StringComparison.Ordinal);
        Model model = Model.Load(File.ReadAllBytes(output));
        // conv1 5x5x2x8 + 8, conv2 3x3x8x32 + 32, then as compact-v1.
        long expected = (5 * 5 * 2 * 8) + 8 + (3 * 3 * 8 * 32) + 32 + (3 * 3 * 32 * 48) + 48 + (3 * 3 * 48 * 48) + 48 + (48 * 32) + 32 + 32 + 1;
        Assert.Equal(expected, model.Network.ParameterCount);
        Assert.Equal("compact-narrow", model.Name);
        string[] history = File.ReadAllLines(Out("narrow.history.csv"));
        Assert.Equal("epoch,train_loss,validation_loss,validation_accuracy,validation_auc,seconds,kept", history[0]);
        Assert.Equal(3, history.Length);
        Assert.Single(history.Skip(1), l => l.EndsWith(",1", StringComparison.Ordinal));
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(Out("narrow.curves.png")).Take(4));
        string stdoutDescribe = EclairsProcess.Ok("describe", "--arch", arch);
        Assert.Contains("conv2d 5x5 8 same relu", stdoutDescribe, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--freeze needs --init", "--arch", "compact-v1", "--freeze", "conv1")]
    [InlineData("is not the architecture of --init", "--init", "{shipped}", "--arch", "cnn-v1")]
    [InlineData("--freeze pool1: layer 3 (pool1, maxpool 2x2) has no parameters", "--init", "{shipped}", "--freeze", "pool1")]
    [InlineData("--lr 0 must be", "--arch", "compact-v1", "--lr", "0")]
    public void Wrong_training_options_are_one_line_and_exit_code_2(string fragment, params string[] options)
    {
        string[] arguments = ["train", "--data", small.Path, "--out", Out("x.eclw"), .. options.Select(o => o.Replace("{shipped}", Shipped, StringComparison.Ordinal))];
        (int code, _, string error) = EclairsProcess.Run(arguments);
        Assert.Equal(2, code);
        Assert.Contains(fragment, error.Trim(), StringComparison.Ordinal);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Fine_tuning_an_int8_model_is_refused_naming_the_file()
    {
        string int8 = System.IO.Path.Combine(CliPaths.RepositoryRoot(), "weights", "eclairs-compact-v1.int8.eclw");
        (int code, _, string error) = EclairsProcess.Run("train", "--data", small.Path, "--init", int8, "--out", Out("y.eclw"));
        Assert.Equal(1, code);
        Assert.Contains($"{int8}: model 'compact-v1' is Int8", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Crossval_of_the_parent_as_it_is_scores_every_alert_once_and_the_held_out_set_as_the_engine_does()
    {
        string report = Out("cv");
        EclairsProcess.Ok("crossval", "--data", small.Path, "--init", Shipped, "--epochs", "0", "--folds", "3", "--repeats", "2", "--test", small.Path, "--report", report);
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(System.IO.Path.Combine(report, "crossval.json")));
        JsonElement[] runs = [.. json.RootElement.GetProperty("runs").EnumerateArray()];
        Assert.Equal(6, runs.Length);
        int n = small.Set.Label.Count(l => l <= 1);
        foreach (int repeat in new[] { 0, 1 })
        {
            Assert.Equal(n, runs.Where(r => r.GetProperty("Run").GetProperty("Repeat").GetInt32() == repeat).Sum(r => r.GetProperty("Test").GetProperty("Count").GetInt32()));
        }

        // Untrained folds: every model is the parent, so its held-out AUC is the engine's AUC on the whole set.
        InferenceContext engine = Model.Load(File.ReadAllBytes(Shipped)).CreateContext();
        int[] scored = Enumerable.Range(0, small.Set.Count).Where(i => small.Set.Label[i] <= 1).ToArray();
        double[] p = scored.Select(i => (double)engine.Classify(small.Set.SnrOf(i), small.Set.MaskOf(i)).Probability).ToArray();
        byte[] y = scored.Select(i => small.Set.Label[i]).ToArray();
        double pairs = 0, wins = 0;
        for (int a = 0; a < p.Length; a++)
        {
            for (int b = 0; b < p.Length; b++)
            {
                if (y[a] == 1 && y[b] == 0)
                {
                    pairs++;
                    wins += p[a] > p[b] ? 1 : p[a] == p[b] ? 0.5 : 0;
                }
            }
        }

        Assert.All(runs, r => Assert.Equal(wins / pairs, r.GetProperty("HeldOut").GetProperty("Auc").GetDouble(), 5));
        Assert.Contains("| AUC |", File.ReadAllText(System.IO.Path.Combine(report, "crossval.md")), StringComparison.Ordinal);
        Assert.Equal(7, File.ReadAllLines(System.IO.Path.Combine(report, "folds.csv")).Length);
    }

    [Fact]
    public void Calibrate_stores_a_temperature_keeps_every_decision_and_evaluate_reports_the_new_ece()
    {
        string calibrated = Out("calibrated.eclw");
        string stdout = EclairsProcess.Ok("calibrate", "--model", Shipped, "--data", small.Path, "--out", calibrated);
        Assert.Contains("decisions unchanged", stdout, StringComparison.Ordinal);
        ModelDocument before = EclwReader.Read(File.ReadAllBytes(Shipped)), after = EclwReader.Read(File.ReadAllBytes(calibrated));
        string line = Assert.Single(after.Provenance.Split('\n'), l => l.StartsWith("temperature: T = ", StringComparison.Ordinal));
        double t = double.Parse(line["temperature: T = ".Length..].Split(' ')[0], CultureInfo.InvariantCulture);
        InferenceContext a = Model.Load(File.ReadAllBytes(Shipped)).CreateContext(), b = Model.Load(File.ReadAllBytes(calibrated)).CreateContext();
        for (int i = 0; i < small.Set.Count; i++)
        {
            ClassificationResult x = a.Classify(small.Set.SnrOf(i), small.Set.MaskOf(i)), z = b.Classify(small.Set.SnrOf(i), small.Set.MaskOf(i));
            Assert.Equal(x.IsTrueAlert, z.IsTrueAlert);
            Assert.Equal(x.Logit / t, z.Logit, 1e-4 * Math.Max(1, Math.Abs(x.Logit)));
        }

        // A later threshold choice keeps the temperature line.
        EclairsProcess.Ok("threshold", "--model", calibrated, "--data", small.Path, "--recall", "0.95", "--out", calibrated);
        Assert.Contains(line, EclwReader.Read(File.ReadAllBytes(calibrated)).Provenance, StringComparison.Ordinal);

        // evaluate: ECE over 10 bins recomputed from its own scores.csv.
        // (threshold re-chose the operating point; evaluate the calibrated file before that step against the parent.)
        string once = Out("calibrated-once.eclw");
        EclairsProcess.Ok("calibrate", "--model", Shipped, "--data", small.Path, "--out", once);
        string report = Out("eval");
        EclairsProcess.Ok("evaluate", "--model", once, "--data", small.Path, "--report", report, "--agreement", Shipped);
        string[][] rows = File.ReadAllLines(System.IO.Path.Combine(report, "scores.csv")).Skip(1).Select(r => r.Split(',')).Where(r => r[1] != "2").ToArray();
        double ece = 0;
        foreach (IGrouping<int, string[]> bin in rows.GroupBy(r => Math.Min((int)(double.Parse(r[5], CultureInfo.InvariantCulture) * 10), 9)))
        {
            double meanP = bin.Average(r => double.Parse(r[5], CultureInfo.InvariantCulture)), fraction = bin.Average(r => r[1] == "1" ? 1.0 : 0.0);
            ece += (double)bin.Count() / rows.Length * Math.Abs(fraction - meanP);
        }

        using JsonDocument metrics = JsonDocument.Parse(File.ReadAllText(System.IO.Path.Combine(report, "metrics.json")));
        JsonElement calibration = metrics.RootElement.GetProperty("calibration");
        Assert.Equal(ece, calibration.GetProperty("expected_calibration_error").GetDouble(), 6);
        double brier = rows.Average(r => Math.Pow(double.Parse(r[5], CultureInfo.InvariantCulture) - (r[1] == "1" ? 1 : 0), 2));
        Assert.Equal(brier, calibration.GetProperty("brier_score").GetDouble(), 6);
        JsonElement alike = metrics.RootElement.GetProperty("agreement");
        Assert.Equal(small.Set.Count, alike.GetProperty("same_decision").GetInt32()); // calibration changed no decision
        Assert.Equal(small.Set.Count, alike.GetProperty("n").GetInt32());
        foreach (string picture in new[] { "roc.png", "reliability.png", "causes.png", "confusion.png" })
        {
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(System.IO.Path.Combine(report, picture)).Take(4));
        }

        (int code, _, string error) = EclairsProcess.Run("calibrate", "--model", System.IO.Path.Combine(CliPaths.RepositoryRoot(), "weights", "eclairs-compact-v1.int8.eclw"), "--data", small.Path, "--out", Out("z.eclw"));
        Assert.Equal(2, code);
        Assert.Contains("calibrate its float32 model, then quantize", error, StringComparison.Ordinal);
    }
}
