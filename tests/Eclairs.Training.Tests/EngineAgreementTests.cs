using System;
using Eclairs.Onboard.Inference;
using Eclairs.Training.Data;
using Eclairs.Training.Export;
using Xunit;
using TrainingArchitectures = Eclairs.Training.Networks.Architectures;
using TrainingNetwork = Eclairs.Training.Networks.TrainingNetwork;

namespace Eclairs.Training.Tests;

/// <summary>The acceptance: the trainer's forward pass and the engine's agree within 1e-5 on the same weights.</summary>
public class EngineAgreementTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Theory]
    [InlineData("cnn-v1")]
    [InlineData("compact-v1")]
    public void Engine_and_trainer_agree_on_trained_weights(string architecture)
    {
        // A few steps of real training so the weights are not just the initialisation.
        LabelledAlerts data = ToyAlerts.Make(32, 56, seed: 12);
        var network = new TrainingNetwork(TrainingArchitectures.ByName(architecture));
        new Trainer(network, new TrainingOptions { Epochs = 1, BatchSize = 8, ValidationFraction = 0, Seed = 4 }).Fit(data);

        ModelDocument document = TrainedNetwork.From(network).ToEngineModel(architecture, threshold: 0.4f, provenance: "test");
        Assert.Equal(network.ParameterCount, document.Network.ParameterCount);
        Model model = Model.Load(EclwWriter.ToBytes(document)); // through the file format
        var context = new InferenceContext(model);
        var workspace = network.CreateWorkspace();
        double worst = 0;
        for (int i = 0; i < data.Count; i++)
        {
            float trainer = network.PredictProbability(data.Snr(i), data.Mask(i), workspace);
            ClassificationResult engine = context.Classify(data.Snr(i), data.Mask(i));
            Assert.True(Math.Abs(trainer - engine.Probability) <= 1e-5, $"alert {i}: trainer {trainer} engine {engine.Probability}");
            Assert.Equal(engine.Probability >= 0.4f, engine.IsTrueAlert);
            worst = Math.Max(worst, Math.Abs(trainer - engine.Probability));
        }

        output.WriteLine($"{architecture}: largest probability difference {worst:E2} over {data.Count} alerts");
    }

    [Fact]
    public void Descriptions_match_the_engine_architectures()
    {
        NetworkDescription deck = EngineModel.ToDescription(TrainedNetwork.From(new TrainingNetwork(TrainingArchitectures.CnnV1())));
        NetworkDescription compact = EngineModel.ToDescription(TrainedNetwork.From(new TrainingNetwork(TrainingArchitectures.CompactV1())));
        Assert.Equal(Architectures.CnnV1().Layers, deck.Layers);
        Assert.Equal(Architectures.CompactV1().Layers, compact.Layers);
    }

    [Fact]
    public void Same_seed_gives_the_same_weights_file_bit_for_bit()
    {
        LabelledAlerts data = ToyAlerts.Make(64, 16, seed: 13);
        byte[] File(int threads)
        {
            var network = new TrainingNetwork(ToyAlerts.TinyNetwork(16));
            new Trainer(network, new TrainingOptions { Epochs = 2, BatchSize = 16, Seed = 9, MaxDegreeOfParallelism = threads }).Fit(data);
            return EclwWriter.ToBytes(TrainedNetwork.From(network).ToEngineModel("tiny", provenance: "seed 9"));
        }

        byte[] first = File(1);
        Assert.Equal(first, File(2));
        Assert.Equal(first, File(1));
    }
}
