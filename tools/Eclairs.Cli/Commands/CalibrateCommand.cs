using System;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using Eclairs.Onboard.Inference;
using Eclairs.Simulation.Formats;
using Eclairs.Simulation.Pictures;
using Eclairs.Training.Evaluation;
using Eclairs.Training.Export;

namespace Eclairs.Cli.Commands;

/// <summary>
/// <c>eclairs calibrate</c>: fits a temperature on a validation set so that "P = 0.9" is right about 9 times in 10, and
/// writes the model with 1/T folded into its logit layer and the threshold mapped so every decision stays the same
/// (<see cref="TemperatureFolding"/>; docs/weights-format.md). Quantize the calibrated float model for int8.
/// </summary>
internal static class CalibrateCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "float32 model (.eclw).", Required = true };
        var data = new Option<string>("--data") { Description = "Labelled VALIDATION data set (.npz); never the test split.", Required = true };
        var output = new Option<string>("--out") { Description = "Calibrated model to write (may be --model itself).", Required = true };
        var report = new Option<string?>("--report") { Description = "Folder for reliability.png (before and after) and calibration.md." };
        var command = new Command("calibrate", "Fit a temperature (one scalar on the logit) on a validation set and store it in the model; decisions are unchanged.")
        {
            model, data, output, report,
        };
        command.SetAction(parse =>
        {
            string modelPath = parse.GetValue(model)!, dataPath = parse.GetValue(data)!;
            byte[] file = File.ReadAllBytes(modelPath);
            if (EclwReader.PeekNumberFormat(file) != NumberFormat.Float32)
            {
                throw new CommandUsageException($"{modelPath} is an int8 model: calibrate its float32 model, then quantize that (the integer threshold follows)");
            }

            ModelDocument document = EclwReader.Read(file);
            AlertDataset set = DatasetSelection.Labelled(AlertDatasetFile.Read(dataPath));
            InferenceContext context = Model.Load(file).CreateContext();
            double[] logits = Enumerable.Range(0, set.Count).Select(i => (double)context.Classify(set.SnrOf(i), set.MaskOf(i)).Logit).ToArray();
            double t = TemperatureScaling.Fit(logits, set.Label);
            CalibrationMetrics before = Metrics(logits, set.Label, 1), after = Metrics(logits, set.Label, t);
            string note = string.Create(CultureInfo.InvariantCulture,
                $"fitted by eclairs calibrate on {Path.GetFileName(dataPath)} ({set.Count} alerts): log loss {before.LogLoss:F4} -> {after.LogLoss:F4}, ECE {before.ExpectedCalibrationError:F4} -> {after.ExpectedCalibrationError:F4}, Brier {before.BrierScore:F4} -> {after.BrierScore:F4}");
            ModelDocument calibrated = TemperatureFolding.Apply(document, t, note);
            byte[] written = EclwWriter.ToBytes(calibrated);

            // The decisions the file makes must be those it made before, alert by alert, on this set.
            InferenceContext check = Model.Load(written).CreateContext();
            int changed = Enumerable.Range(0, set.Count).Count(i => context.Classify(set.SnrOf(i), set.MaskOf(i)).IsTrueAlert != check.Classify(set.SnrOf(i), set.MaskOf(i)).IsTrueAlert);
            if (changed > 0)
            {
                throw new InvalidOperationException($"calibration would change {changed} decisions on {dataPath}; nothing written");
            }

            File.WriteAllBytes(parse.GetValue(output)!, written);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{document.Name}: temperature T = {t:F4} ({note})"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"threshold {document.DecisionThreshold:R} -> {calibrated.DecisionThreshold:R}; all {set.Count} decisions unchanged"));
            if (parse.GetValue(report) is { } dir)
            {
                Directory.CreateDirectory(dir);
                Charts.Reliability($"{document.Name} on {Path.GetFileName(dataPath)}: before and after T = {t:F3}",
                [
                    ("before: ECE " + before.ExpectedCalibrationError.ToString("F4", CultureInfo.InvariantCulture), Bins(before)),
                    ("after: ECE " + after.ExpectedCalibrationError.ToString("F4", CultureInfo.InvariantCulture), Bins(after)),
                ], Path.Combine(dir, "reliability.png"));
                File.WriteAllText(Path.Combine(dir, "calibration.md"), Table(document.Name, dataPath, t, before, after));
            }

            Console.WriteLine($"wrote {parse.GetValue(output)}");
            return 0;
        });
        return command;
    }

    private static CalibrationMetrics Metrics(double[] logits, byte[] labels, double temperature) =>
        CalibrationMetrics.Of(logits.Select(z => (float)TemperatureScaling.Sigmoid(z / temperature)).ToArray(), labels);

    private static ReliabilityBin[] Bins(CalibrationMetrics m) =>
        m.Bins.Select(b => new ReliabilityBin(b.MeanProbability, b.FractionTrue, b.Count)).ToArray();

    private static string Table(string name, string data, double t, CalibrationMetrics before, CalibrationMetrics after)
    {
        var text = new System.Text.StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"# {name}: temperature {t:F4} on {Path.GetFileName(data)}");
        text.AppendLine();
        text.AppendLine("| | log loss | ECE (10 bins) | Brier |");
        text.AppendLine("|---|---:|---:|---:|");
        text.AppendLine(CultureInfo.InvariantCulture, $"| before | {before.LogLoss:F4} | {before.ExpectedCalibrationError:F4} | {before.BrierScore:F4} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| after | {after.LogLoss:F4} | {after.ExpectedCalibrationError:F4} | {after.BrierScore:F4} |");
        text.AppendLine();
        text.AppendLine("| bin | n | mean P before | true before | mean P after | true after |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|");
        for (int b = 0; b < before.Bins.Count; b++)
        {
            CalibrationBin x = before.Bins[b], y = after.Bins[b];
            text.AppendLine(CultureInfo.InvariantCulture, $"| {x.Lower:F1}-{x.Upper:F1} | {x.Count} / {y.Count} | {x.MeanProbability:F3} | {x.FractionTrue:F3} | {y.MeanProbability:F3} | {y.FractionTrue:F3} |");
        }

        return text.ToString();
    }
}
