using System;
using System.CommandLine;
using System.Globalization;
using System.IO;
using Eclairs.Onboard.Inference;
using Eclairs.Simulation.Formats;
using Eclairs.Training.Evaluation;

namespace Eclairs.Cli.Commands;

/// <summary>
/// <c>eclairs threshold</c>: chooses a float32 model's decision threshold on a labelled validation set as the highest
/// probability that still keeps a stated fraction of the true alerts, and writes the model with that threshold and
/// the choice in its provenance. Never run it on the test split: the threshold would then be fitted to the test.
/// </summary>
internal static class ThresholdCommand
{
    /// <summary>Starts the provenance line this command writes; a later run replaces it instead of stacking lines.</summary>
    public const string ProvenanceMarker = "\nthreshold: ";

    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "float32 model (.eclw).", Required = true };
        var data = new Option<string>("--data") { Description = "Labelled VALIDATION data set (.npz); never the test split.", Required = true };
        var recall = new Option<double>("--recall") { Description = "Fraction of true alerts the threshold must keep.", DefaultValueFactory = _ => 0.99 };
        var output = new Option<string>("--out") { Description = "Model file to write (may be --model itself).", Required = true };
        var command = new Command("threshold", "Set a float32 model's decision threshold to the highest one keeping a given recall on a validation set.")
        {
            model, data, recall, output,
        };
        command.SetAction(parse =>
        {
            string modelPath = parse.GetValue(model)!, dataPath = parse.GetValue(data)!;
            double wanted = parse.GetValue(recall);
            if (!(wanted > 0 && wanted <= 1))
            {
                Console.Error.WriteLine($"eclairs threshold: --recall {wanted} must be in (0, 1].");
                return 2;
            }

            byte[] file = File.ReadAllBytes(modelPath);
            if (EclwReader.PeekNumberFormat(file) != NumberFormat.Float32)
            {
                Console.Error.WriteLine($"eclairs threshold: {modelPath} is not a float32 model; int8 thresholds are derived from the float model by `eclairs quantize`.");
                return 2;
            }

            ModelDocument document = EclwReader.Read(file);
            AlertDataset set = AlertDatasetFile.Read(dataPath);
            ModelScores scores = ModelScores.Of(file, set);
            BinaryMetrics metrics = scores.Metrics();
            float threshold = (float)metrics.ThresholdForRecall(wanted);
            var chosen = new BinaryMetrics(scores.ScoredProbabilities, scores.ScoredLabels, Array.ConvertAll(scores.ScoredProbabilities, p => p >= threshold));
            string choice = string.Create(CultureInfo.InvariantCulture,
                $"{threshold:R} = eclairs threshold --data {Path.GetFileName(dataPath)} --recall {wanted}: the highest probability keeping >= {wanted:P1} of its true alerts; "
                + $"there it keeps {chosen.TruePositives} of {chosen.TruePositives + chosen.FalseNegatives} true and rejects {chosen.TrueNegatives} of {chosen.TrueNegatives + chosen.FalsePositives} false alerts "
                + $"(AUC {metrics.Auc:F4}, {scores.Unclear} unclear alerts ignored)");
            ModelDocument updated = document with { DecisionThreshold = threshold, Provenance = WithChoice(document.Provenance, choice) };
            File.WriteAllBytes(parse.GetValue(output)!, EclwWriter.ToBytes(updated));
            Console.WriteLine($"{document.Name}: threshold {choice}");
            Console.WriteLine($"wrote {parse.GetValue(output)}");
            return 0;
        });
        return command;
    }

    /// <summary>
    /// The provenance with its threshold part (if any) replaced by <paramref name="choice"/>; what follows it on later
    /// lines (a calibration's temperature line) is kept.
    /// </summary>
    public static string WithChoice(string provenance, string choice)
    {
        int at = provenance.IndexOf(ProvenanceMarker, StringComparison.Ordinal);
        if (at < 0)
        {
            return provenance + ProvenanceMarker + choice;
        }

        int end = provenance.IndexOf('\n', at + 1);
        return provenance[..at] + ProvenanceMarker + choice + (end < 0 ? "" : provenance[end..]);
    }
}
