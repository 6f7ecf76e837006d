using System;
using System.Linq;
using Eclairs.Onboard.Inference;
using Eclairs.Training.Data;
using Eclairs.Training.Export;
using Eclairs.Training.Networks;
using Xunit;

namespace Eclairs.Training.Tests;

/// <summary>
/// The mask ablation (<see cref="NetworkSpec.UsesMask"/> false): after training, the first convolution's
/// mask-channel weights are exactly 0, so neither the trainer nor the engine (which always feeds the mask) can tell
/// mask values 1, 2 and 3 apart.
/// </summary>
public class MaskAblationTests
{
    [Fact]
    public void Network_without_mask_ignores_the_mask_in_the_trainer_and_in_the_engine()
    {
        NetworkSpec tiny = ToyAlerts.TinyNetwork(56);
        var spec = new NetworkSpec("tiny-nomask", tiny.Input, tiny.Layers) { UsesMask = false };
        LabelledAlerts data = ToyAlerts.Make(48, 56, seed: 21);
        var network = new TrainingNetwork(spec);
        new Trainer(network, new TrainingOptions { Epochs = 2, BatchSize = 8, ValidationFraction = 0, Seed = 3, Adam = new() { WeightDecay = 1e-2 } }).Fit(data);

        // HWIO [3][3][2][8]: the odd rows of 8 are the mask channel's.
        float[] weights = network.LayerParameters(0)[..(3 * 3 * 2 * 8)].ToArray();
        for (int row = 0; row < 18; row++)
        {
            bool maskRow = row % 2 == 1;
            Assert.Equal(maskRow, weights.AsSpan(row * 8, 8).ToArray().All(w => w == 0f));
        }

        Model engine = Model.Load(EclwWriter.ToBytes(TrainedNetwork.From(network).ToEngineModel("tiny-nomask", provenance: "test")));
        InferenceContext context = engine.CreateContext();
        NetworkWorkspace workspace = network.CreateWorkspace();
        for (int i = 0; i < 6; i++)
        {
            byte[] mask = data.Mask(i).ToArray();
            byte[] relabelled = mask.Select((m, p) => m == 0 ? (byte)0 : (byte)(1 + (p % 3))).ToArray();
            float trainer = network.PredictProbability(data.Snr(i), mask, workspace);
            Assert.Equal(trainer, network.PredictProbability(data.Snr(i), relabelled, workspace));
            float fromEngine = context.Classify(data.Snr(i), mask).Probability;
            Assert.Equal(fromEngine, context.Classify(data.Snr(i), relabelled).Probability);
            Assert.True(Math.Abs(trainer - fromEngine) <= 1e-5, $"alert {i}: trainer {trainer}, engine {fromEngine}");
        }
    }

    [Fact]
    public void The_deck_network_with_the_mask_does_see_it()
    {
        // The control: the same check fails for a network that uses the mask (its mask weights are not 0).
        var network = new TrainingNetwork(Eclairs.Training.Networks.Architectures.CnnV1());
        network.Initialize(5);
        Assert.Contains(network.LayerParameters(0)[..(3 * 3 * 2 * 32)].ToArray().Where((_, k) => (k / 32) % 2 == 1), w => w != 0f);
        var ablated = new TrainingNetwork(Eclairs.Training.Networks.Architectures.CnnV1NoMask());
        ablated.Initialize(5);
        Assert.Equal(network.ParameterCount, ablated.ParameterCount);
        Assert.All(ablated.LayerParameters(0)[..(3 * 3 * 2 * 32)].ToArray().Where((_, k) => (k / 32) % 2 == 1), w => Assert.Equal(0f, w));
    }
}
