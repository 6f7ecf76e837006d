using System;
using System.Collections.Generic;
using System.Linq;
using Eclairs.Onboard.Inference;
using Eclairs.Onboard.Inference.Quantized;
using Eclairs.Quantization;
using Eclairs.Training.Data;
using Eclairs.Training.Export;
using Eclairs.Training.Networks;
using Xunit;

namespace Eclairs.Training.Tests;

/// <summary>
/// Quantization-aware fine-tuning: the trainer's fake-quantized forward pass reproduces the int8 engine (the engine's
/// own answer is the reference), and QAT training keeps frozen masters bit for bit.
/// </summary>
public sealed class FakeQuantizationTests
{
    private static (TrainingNetwork Network, ModelDocument Float, ModelDocument Int8, LabelledAlerts Test) Quantized()
    {
        LabelledAlerts data = ToyAlerts.Make(240, 16, seed: 3);
        var network = new TrainingNetwork(ToyAlerts.TinyNetwork(16));
        new Trainer(network, new TrainingOptions { Epochs = 2, Seed = 2, Patience = 0, MaxDegreeOfParallelism = 2 }).Fit(data);
        ModelDocument f = TrainedNetwork.From(network).ToEngineModel("tiny");
        var calibration = Enumerable.Range(0, 120).Select(i => new CalibrationInput(data.Snr(i).ToArray(), data.Mask(i).ToArray())).ToList();
        ModelDocument q = Quantizer.Quantize(f, calibration);
        return (network, f, q, ToyAlerts.Make(80, 16, seed: 9));
    }

    [Fact]
    public void The_fake_quantized_forward_pass_lands_much_closer_to_the_int8_engine_than_the_float_one()
    {
        (TrainingNetwork network, ModelDocument f, ModelDocument q, LabelledAlerts test) = Quantized();
        Int8Context int8 = Int8Model.Load(EclwWriter.ToBytes(q)).CreateContext();
        var fake = FakeQuantization.FromInt8(q, network);
        float[] master = network.Parameters.ToArray();
        NetworkWorkspace workspace = network.CreateWorkspace();
        var floatLogits = new List<double>();
        for (int i = 0; i < test.Count; i++)
        {
            network.Encode(test.Snr(i), test.Mask(i), workspace.Input);
            floatLogits.Add(network.Forward(workspace, training: false, dropoutSeed: 0));
        }

        network.Quantization = fake;
        fake.Weights(network, network.Parameters);
        double floatGap = 0, fakeGap = 0;
        float step = Int8Parameters.FromDocument(q).Layers[^1].OutputScale;
        for (int i = 0; i < test.Count; i++)
        {
            network.Encode(test.Snr(i), test.Mask(i), workspace.Input);
            double fakeLogit = network.Forward(workspace, training: false, dropoutSeed: 0);
            double engine = int8.Classify(test.Snr(i), test.Mask(i)).Logit;
            floatGap += Math.Abs(floatLogits[i] - engine);
            fakeGap += Math.Abs(fakeLogit - engine);
            Assert.True(Math.Abs(fakeLogit - engine) <= 3 * step, $"alert {i}: fake {fakeLogit}, engine {engine}, step {step}");
        }

        Assert.True(fakeGap < 0.5 * floatGap, $"mean |fake - int8| {fakeGap / test.Count}, mean |float - int8| {floatGap / test.Count}");
        network.Quantization = null;
        master.CopyTo(network.Parameters);
    }

    [Fact]
    public void On_the_first_convolution_fake_quantization_lands_on_the_int8_engines_requantized_output()
    {
        // Same input grid, same weight grid: the only differences left are the int32 bias and the engine's fixed-point
        // multiplier against the float division, so the fake output and the reference kernel's int8 output differ by
        // at most one step, and almost never.
        (TrainingNetwork network, _, ModelDocument q, LabelledAlerts test) = Quantized();
        Int8Context int8 = Int8Model.Load(EclwWriter.ToBytes(q), new ModelOptions { KernelPath = KernelPath.Scalar, KeepEveryStep = true }).CreateContext();
        int step = Enumerable.Range(0, int8.StepCount).First(s => int8.StepKind(s) == Int8StepKind.Conv2D);
        Assert.Equal(2, int8.StepLayerIndex(step)); // engine layer 2 is the trainer's layer 0 (after Input, Concatenate)
        Int8LayerParameters conv1 = Int8Parameters.FromDocument(q).Layers[0];
        var fake = FakeQuantization.FromInt8(q, network);
        float[] master = network.Parameters.ToArray();
        network.Quantization = fake;
        fake.Weights(network, network.Parameters);
        NetworkWorkspace workspace = network.CreateWorkspace();
        int values = 0, exact = 0;
        for (int i = 0; i < test.Count; i++)
        {
            network.Encode(test.Snr(i), test.Mask(i), workspace.Input);
            network.Forward(workspace, training: false, dropoutSeed: 0);
            int8.Classify(test.Snr(i), test.Mask(i));
            ReadOnlySpan<sbyte> engine = int8.StepOutput(step);
            float[] trainer = workspace.Activations[0];
            Assert.Equal(trainer.Length, engine.Length);
            for (int k = 0; k < engine.Length; k++)
            {
                int fakeCode = (int)MathF.Round(trainer[k] / conv1.OutputScale) + conv1.OutputZeroPoint;
                Assert.True(Math.Abs(fakeCode - engine[k]) <= 1, $"alert {i} value {k}: fake {fakeCode}, engine {engine[k]}");
                values++;
                exact += fakeCode == engine[k] ? 1 : 0;
            }
        }

        Assert.True(exact >= 0.99 * values, $"{exact} of {values} conv1 outputs exact");
        network.Quantization = null;
        master.CopyTo(network.Parameters);
    }

    [Fact]
    public void A_qat_fine_tune_keeps_int8_float_agreement_at_least_as_high_as_a_plain_fine_tune()
    {
        // Both fine-tunes start from the same float network and are quantized the same way (same calibration alerts);
        // each int8 model is compared with its own float model on held-out alerts: decisions and logit gap.
        (TrainingNetwork start, _, ModelDocument q, _) = Quantized();
        LabelledAlerts tune = ToyAlerts.Make(160, 16, seed: 21), test = ToyAlerts.Make(200, 16, seed: 23);
        var calibration = Enumerable.Range(0, 120).Select(i => new CalibrationInput(tune.Snr(i).ToArray(), tune.Mask(i).ToArray())).ToList();
        (int Agree, double Gap) Tuned(bool qat)
        {
            var network = new TrainingNetwork(start.Spec);
            start.Parameters.CopyTo(network.Parameters);
            var options = new TrainingOptions
            {
                Epochs = 2, Seed = 7, Patience = 0, MaxDegreeOfParallelism = 2, InitializeWeights = false,
                Quantization = qat ? FakeQuantization.FromInt8(q, network) : null, Adam = new() { LearningRate = 3e-4 },
            };
            new Trainer(network, options).Fit(tune);
            ModelDocument f = TrainedNetwork.From(network).ToEngineModel("tuned");
            Int8Context int8 = Int8Model.Load(EclwWriter.ToBytes(Quantizer.Quantize(f, calibration))).CreateContext();
            NetworkWorkspace workspace = network.CreateWorkspace();
            int agree = 0;
            double gap = 0;
            for (int i = 0; i < test.Count; i++)
            {
                network.Encode(test.Snr(i), test.Mask(i), workspace.Input);
                double logit = network.Forward(workspace, training: false, dropoutSeed: 0);
                Int8ClassificationResult r = int8.Classify(test.Snr(i), test.Mask(i));
                agree += (logit >= 0) == r.IsTrueAlert ? 1 : 0;
                gap += Math.Abs(logit - r.Logit);
            }

            return (agree, gap / test.Count);
        }

        (int plainAgree, double plainGap) = Tuned(qat: false);
        (int qatAgree, double qatGap) = Tuned(qat: true);
        string figures = $"agreement plain {plainAgree}/{test.Count} (mean |logit gap| {plainGap:F4}), QAT {qatAgree}/{test.Count} ({qatGap:F4})";
        Assert.True(qatAgree >= plainAgree, figures);
        Assert.True(qatAgree >= 0.98 * test.Count, figures);
    }

    [Fact]
    public void Qat_fine_tuning_keeps_frozen_masters_and_trains_the_rest()
    {
        (TrainingNetwork network, _, ModelDocument q, LabelledAlerts test) = Quantized();
        float[] before = network.Parameters.ToArray();
        var options = new TrainingOptions
        {
            Epochs = 1, Seed = 5, Patience = 0, MaxDegreeOfParallelism = 2, InitializeWeights = false,
            FrozenLayers = new HashSet<int> { 0 }, Quantization = FakeQuantization.FromInt8(q, network), Adam = new() { LearningRate = 1e-4 },
        };
        new Trainer(network, options).Fit(ToyAlerts.Make(96, 16, seed: 11));
        int conv1 = network.Layers[0].ParameterCount;
        Assert.Equal(before[..conv1], network.Parameters[..conv1].ToArray());
        Assert.NotEqual(before[conv1..], network.Parameters[conv1..].ToArray());
        Assert.Null(network.Quantization); // the network is a plain float network again after Fit
        Assert.Equal(test.Count, new Trainer(network, options with { Quantization = null }).Evaluate(test).Probabilities.Count);
    }
}
