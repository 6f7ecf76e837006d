using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.IO;
using Eclairs.Onboard.Inference;
using Eclairs.Onboard.Inference.Quantized;
using Eclairs.Quantization;
using Eclairs.Simulation.Formats;
using Eclairs.Training.Evaluation;

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
        var maxCalibration = new Option<int>("--max-calibration") { Description = "use at most this many calibration alerts, spread evenly over the file", DefaultValueFactory = _ => 2000 };
        var range = new Option<ActivationRangeMethod>("--range") { Description = "activation range rule: MseOptimal, MinMax or Percentile", DefaultValueFactory = _ => ActivationRangeMethod.MseOptimal };
        var clip = new Option<double>("--clip") { Description = "fraction left out at each end by --range Percentile", DefaultValueFactory = _ => 1e-4 };
        var inputClip = new Option<double>("--input-clip") { Description = "fraction of normalised SNR pixels clipped at each end of the input range", DefaultValueFactory = _ => 1e-4 };
        var logitClip = new Option<double>("--logit-clip") { Description = "fraction of calibration logits clipped at each end of the output range (0: as the other layers)", DefaultValueFactory = _ => 0.02 };
        var refine = new Option<int>("--refine") { Description = "calibration alerts for the per-layer range refinement (0: off)", DefaultValueFactory = _ => 1000 };
        var sqnrCount = new Option<int>("--sqnr-count") { Description = "test alerts over which per-layer SQNR is measured", DefaultValueFactory = _ => 256 };
        var test = new Option<FileInfo?>("--test") { Description = "alert data set (.npz) for the float/int8 agreement and golden vectors" };
        var golden = new Option<FileInfo?>("--golden") { Description = "golden-vector file to write from the first --golden-count test alerts" };
        var goldenCount = new Option<int>("--golden-count") { Description = "alerts in the golden-vector file", DefaultValueFactory = _ => 64 };
        var command = new Command("quantize", "Quantize a float32 model to the int8 TFLM scheme (weights per channel, activations from calibration).")
        {
            model, calibration, output, maxCalibration, range, clip, inputClip, logitClip, refine, sqnrCount, test, golden, goldenCount,
        };
        command.SetAction(parse =>
        {
            ModelDocument floatModel = EclwReader.Read(File.ReadAllBytes(parse.GetValue(model)!.FullName));
            AlertDataset cal = AlertDatasetFile.Read(parse.GetValue(calibration)!.FullName);
            var options = new QuantizerOptions { ActivationRange = parse.GetValue(range), ActivationClipFraction = parse.GetValue(clip), InputClipFraction = parse.GetValue(inputClip), LogitClipFraction = parse.GetValue(logitClip), RefinementAlerts = parse.GetValue(refine) };
            ModelDocument quantized = Quantizer.Quantize(floatModel, Spread(cal, parse.GetValue(maxCalibration)), options);
            byte[] file = EclwWriter.ToBytes(quantized);
            File.WriteAllBytes(parse.GetValue(output)!.FullName, file);
            Int8Model int8 = Int8Model.Load(file);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"wrote {parse.GetValue(output)!.Name}: {file.Length} bytes, {int8.ParameterBytes} bytes of parameters, input scale 1/{int8.Parameters.InputSteps} zero point {int8.Parameters.InputZeroPoint}, raw-logit threshold {int8.Parameters.DecisionThreshold}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"memory on this CPU ({int8.KernelPath}): model plan {int8.ModelBytes} bytes, context {int8.ContextBytes} bytes"));
            FileInfo? testFile = parse.GetValue(test);
            if (testFile is not null)
            {
                AlertDataset data = AlertDatasetFile.Read(testFile.FullName);
                List<CalibrationInput> alerts = Alerts(data, data.Count);
                Report(floatModel, file, data, alerts, parse.GetValue(sqnrCount));
                FileInfo? goldenFile = parse.GetValue(golden);
                if (goldenFile is not null)
                {
                    int n = Math.Min(parse.GetValue(goldenCount), alerts.Count);
                    Int8Model reference = Int8Model.Load(file, KernelPath.Scalar);
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

    /// <summary>Agreement of decisions, AUC of both models on the labelled alerts, per-layer SQNR.</summary>
    private static void Report(ModelDocument floatModel, byte[] int8File, AlertDataset data, List<CalibrationInput> alerts, int sqnrCount)
    {
        InferenceContext f = Model.FromDocument(floatModel).CreateContext();
        Int8Context q = Int8Model.Load(int8File).CreateContext();
        int agree = 0;
        double diff = 0, diff2 = 0;
        var floatScores = new List<double>();
        var intScores = new List<double>();
        var labels = new List<byte>();
        var floatDecisions = new List<bool>();
        var intDecisions = new List<bool>();
        for (int i = 0; i < alerts.Count; i++)
        {
            ClassificationResult a = f.Classify(alerts[i].Snr, alerts[i].Mask);
            Int8ClassificationResult b = q.Classify(alerts[i].Snr, alerts[i].Mask);
            agree += a.IsTrueAlert == b.IsTrueAlert ? 1 : 0;
            double d = b.Logit - a.Logit;
            diff += d;
            diff2 += d * d;
            if (data.Label[i] <= 1)
            {
                // scores as logits: no saturation of the float probability to 1.0 (which would tie alerts)
                floatScores.Add(a.Logit);
                intScores.Add(b.RawLogit);
                labels.Add(data.Label[i]);
                floatDecisions.Add(a.IsTrueAlert);
                intDecisions.Add(b.IsTrueAlert);
            }
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"int8 - float logit: mean {diff / alerts.Count:F4}, rms {Math.Sqrt(diff2 / alerts.Count):F4}"));
        var fm = new BinaryMetrics(floatScores, labels, floatDecisions);
        var qm = new BinaryMetrics(intScores, labels, intDecisions);
        CultureInfo c = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(c,
            $"decisions agree with the float model on {agree} of {alerts.Count} test alerts ({100.0 * agree / Math.Max(alerts.Count, 1):F2} %)"));
        Console.WriteLine(string.Create(c,
            $"float: accuracy {fm.Accuracy:P2}, AUC {fm.Auc:F4}; int8: accuracy {qm.Accuracy:P2}, AUC {qm.Auc:F4}; AUC drop {fm.Auc - qm.Auc:F4} ({labels.Count} labelled alerts)"));
        List<CalibrationInput> sample = alerts.GetRange(0, Math.Min(sqnrCount, alerts.Count));
        Int8Model everyStep = Int8Model.Load(int8File, new ModelOptions { KeepEveryStep = true });
        foreach (StepNoise n in QuantizationNoise.Measure(floatModel, everyStep, sample))
        {
            Console.WriteLine(string.Create(c, $"SQNR step {n.Step} (layer {n.LayerIndex}, {n.Kind}): {n.SqnrDecibels:F1} dB ({sample.Count} alerts)"));
        }
    }

    /// <summary>At most <paramref name="limit"/> alerts spread evenly over the file (its order may follow the generator's).</summary>
    private static List<CalibrationInput> Spread(AlertDataset data, int limit)
    {
        var alerts = new List<CalibrationInput>();
        int n = Math.Min(limit, data.Count);
        for (int k = 0; k < n; k++)
        {
            int i = (int)((long)k * data.Count / n);
            alerts.Add(new CalibrationInput(data.SnrOf(i).ToArray(), data.MaskOf(i).ToArray()));
        }
        return alerts;
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
