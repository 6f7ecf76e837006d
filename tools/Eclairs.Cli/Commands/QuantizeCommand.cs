using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.IO;
using Eclairs.Onboard.Inference;
using Eclairs.Onboard.Inference.Quantized;
using Eclairs.Simulation.Formats;

namespace Eclairs.Cli.Commands;

/// <summary>
/// <c>eclairs quantize</c>: post-training int8 quantization of a float32 model (docs/int8.md), optionally with golden
/// vectors from the scalar reference and the float/int8 decision agreement on a test set.
/// </summary>
internal static class QuantizeCommand
{
    public static Command Create()
    {
        var model = new Option<FileInfo>("--model") { Description = "float32 .eclw model to quantize", Required = true };
        var calibration = new Option<FileInfo>("--calibration") { Description = "alert data set (.npz) for the activation ranges", Required = true };
        var output = new Option<FileInfo>("--out") { Description = "int8 .eclw file to write", Required = true };
        var maxCalibration = new Option<int>("--max-calibration") { Description = "use at most this many calibration alerts", DefaultValueFactory = _ => 1000 };
        var test = new Option<FileInfo?>("--test") { Description = "alert data set (.npz) for the float/int8 agreement and golden vectors" };
        var golden = new Option<FileInfo?>("--golden") { Description = "golden-vector file to write from the first --golden-count test alerts" };
        var goldenCount = new Option<int>("--golden-count") { Description = "alerts in the golden-vector file", DefaultValueFactory = _ => 64 };
        var command = new Command("quantize", "Quantize a float32 model to the int8 TFLM scheme (weights per channel, activations from calibration).")
        {
            model, calibration, output, maxCalibration, test, golden, goldenCount,
        };
        command.SetAction(parse =>
        {
            ModelDocument floatModel = EclwReader.Read(File.ReadAllBytes(parse.GetValue(model)!.FullName));
            AlertDataset cal = AlertDatasetFile.Read(parse.GetValue(calibration)!.FullName);
            ModelDocument quantized = Quantizer.Quantize(floatModel, Alerts(cal, parse.GetValue(maxCalibration)));
            byte[] file = EclwWriter.ToBytes(quantized);
            File.WriteAllBytes(parse.GetValue(output)!.FullName, file);
            Int8Model int8 = Int8Model.Load(file);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"wrote {parse.GetValue(output)!.Name}: {file.Length} bytes, {int8.ParameterBytes} bytes of parameters, input scale 1/{int8.Parameters.InputSteps} zero point {int8.Parameters.InputZeroPoint}, raw-logit threshold {int8.Parameters.DecisionThreshold}"));
            FileInfo? testFile = parse.GetValue(test);
            if (testFile is not null)
            {
                AlertDataset data = AlertDatasetFile.Read(testFile.FullName);
                List<CalibrationInput> alerts = Alerts(data, data.Count);
                InferenceContext f = Model.FromDocument(floatModel).CreateContext();
                Int8Context q = int8.CreateContext();
                int agree = 0;
                foreach (CalibrationInput a in alerts)
                {
                    agree += f.Classify(a.Snr, a.Mask).IsTrueAlert == q.Classify(a.Snr, a.Mask).IsTrueAlert ? 1 : 0;
                }
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"decisions agree with the float model on {agree} of {alerts.Count} test alerts ({100.0 * agree / Math.Max(alerts.Count, 1):F2} %)"));
                FileInfo? goldenFile = parse.GetValue(golden);
                if (goldenFile is not null)
                {
                    int n = Math.Min(parse.GetValue(goldenCount), alerts.Count);
                    Int8Model reference = Int8Model.Load(file, Int8KernelPath.Scalar);
                    var first = new List<CalibrationInput>();
                    for (int i = 0; i < n; i++)
                    {
                        first.Add(alerts[i]);
                    }
                    File.WriteAllBytes(goldenFile.FullName, GoldenVectors.ToBytes(GoldenVectors.Create(reference, first)));
                    Console.WriteLine($"wrote {n} golden vectors to {goldenFile.Name}");
                }
            }
            return 0;
        });
        return command;
    }

    private static List<CalibrationInput> Alerts(AlertDataset data, int limit)
    {
        var alerts = new List<CalibrationInput>();
        for (int i = 0; i < Math.Min(limit, data.Count); i++)
        {
            alerts.Add(new CalibrationInput(data.SnrOf(i).ToArray(), data.MaskOf(i).ToArray()));
        }
        return alerts;
    }
}
