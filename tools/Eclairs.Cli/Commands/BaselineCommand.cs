using System;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using Eclairs.Simulation.Formats;
using Eclairs.Training.Evaluation;

namespace Eclairs.Cli.Commands;

/// <summary>
/// <c>eclairs baseline</c>: fits the logistic-regression baseline on the hand-made features of a labelled training set
/// (unclear alerts left out) and writes it as JSON for <c>eclairs evaluate --logistic</c>.
/// </summary>
internal static class BaselineCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "Training data set (.npz).", Required = true };
        var l2 = new Option<double>("--l2") { Description = "L2 penalty on the standardised weights.", DefaultValueFactory = _ => 1e-4 };
        var output = new Option<string>("--out") { Description = "Output model (.json).", Required = true };
        var command = new Command("baseline", "Fit the logistic-regression baseline on hand-made sub-image features (peak SNR, std, second-peak ratio, masked fraction, known source).")
        {
            data, l2, output,
        };
        command.SetAction(parse =>
        {
            string dataPath = parse.GetValue(data)!;
            AlertDataset set = AlertDatasetFile.Read(dataPath);
            int[] keep = [.. Enumerable.Range(0, set.Count).Where(i => set.Label[i] <= 1)];
            if (keep.Length < set.Count)
            {
                set = set.Select(keep);
            }

            double[] features = AlertFeatures.Compute(set.Snr, set.Mask, set.Side, set.Count);
            LogisticRegression model = LogisticRegression.Fit(AlertFeatures.Names, features, set.Label, parse.GetValue(l2));
            string provenance = string.Create(CultureInfo.InvariantCulture,
                $"eclairs baseline --data {Path.GetFileName(dataPath)} --l2 {model.L2:R}; {set.Count} alerts");
            model.Save(parse.GetValue(output)!, provenance);
            double[] p = model.Probabilities(features);
            var m = new BinaryMetrics(p, set.Label, Array.ConvertAll(p, v => v >= 0.5));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{provenance}: training AUC {m.Auc:F4}, accuracy {m.Accuracy:P1}"));
            for (int j = 0; j < model.FeatureCount; j++)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {model.FeatureNames[j],-18} mean {model.Mean[j],10:G5} scale {model.Scale[j],10:G5} weight {model.Weights[j],9:F4}"));
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  bias {model.Bias:F4}; wrote {parse.GetValue(output)}"));
            return 0;
        });
        return command;
    }
}
