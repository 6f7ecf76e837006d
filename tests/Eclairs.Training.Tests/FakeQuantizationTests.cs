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
