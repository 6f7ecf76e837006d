using System;
using System.Collections.Generic;
using System.Linq;
using Eclairs.Onboard.Inference;
using Eclairs.Training.Data;
using Eclairs.Training.Export;
using Eclairs.Training.Networks;
using Eclairs.Training.Optimization;
using Xunit;
using TrainingArchitectures = Eclairs.Training.Networks.Architectures;

namespace Eclairs.Training.Tests;

/// <summary>
/// Fine-tuning: a network rebuilt from a model document holds exactly its parameters; frozen layers keep theirs bit
/// for bit through training (with weight decay on), and stopping the backward pass below the lowest trainable layer
/// leaves the gradients of the trainable layers exactly as the full backward pass computes them.
/// </summary>
public sealed class TransferLearningTests
{
    private static TrainingOptions Options(IReadOnlySet<int> frozen) => new()
    {
        Epochs = 2,
        BatchSize = 16,
        Seed = 7,
        Patience = 0,
        MaxDegreeOfParallelism = 2,
        InitializeWeights = false,
        FrozenLayers = frozen,
        Adam = new AdamOptions { LearningRate = 3e-3, WeightDecay = 0.05 },
    };

    private static TrainingNetwork Pretrained()
    {
        var network = new TrainingNetwork(ToyAlerts.TinyNetwork(16));
        network.Initialize(99);
        return network;
    }

    [Theory]
    [InlineData(new[] { 0, 2 })]   // both convolutions: the backward pass stops at the first dense layer
    [InlineData(new[] { 2 })]      // the second convolution only: it still passes gradients down to the first
    [InlineData(new[] { 6 })]      // the last layer
    public void Frozen_layers_keep_their_parameters_bit_for_bit_and_the_others_train(int[] frozen)
    {
        TrainingNetwork network = Pretrained();
        float[][] before = Enumerable.Range(0, network.Layers.Count).Select(i => network.LayerParameters(i).ToArray()).ToArray();
        new Trainer(network, Options(frozen.ToHashSet())).Fit(ToyAlerts.Make(160, 16, seed: 3));
        for (int i = 0; i < network.Layers.Count; i++)
        {
            float[] after = network.LayerParameters(i).ToArray();
            if (frozen.Contains(i))
            {
                Assert.Equal(before[i].Select(BitConverter.SingleToInt32Bits), after.Select(BitConverter.SingleToInt32Bits));
            }
            else if (after.Length > 0)
            {
                Assert.NotEqual(before[i], after);
            }
        }
    }

    [Fact]
    public void Freezing_a_layer_without_parameters_or_everything_is_refused()
    {
        Assert.Contains("no parameters", Assert.Throws<ArgumentException>(() => new Trainer(Pretrained(), Options(new HashSet<int> { 1 }))).Message, StringComparison.Ordinal);
        Assert.Contains("nothing would train", Assert.Throws<ArgumentException>(() => new Trainer(Pretrained(), Options(new HashSet<int> { 0, 2, 4, 6 }))).Message, StringComparison.Ordinal);
        Assert.Contains("not a layer", Assert.Throws<ArgumentException>(() => new Trainer(Pretrained(), Options(new HashSet<int> { 9 }))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_truncated_backward_pass_gives_the_trainable_layers_the_full_pass_s_gradients()
    {
        TrainingNetwork network = Pretrained();
        LabelledAlerts data = ToyAlerts.Make(4, 16, seed: 8);
        NetworkWorkspace workspace = network.CreateWorkspace();
        for (int sample = 0; sample < data.Count; sample++)
        {
            float[] full = new float[network.ParameterCount], truncated = new float[network.ParameterCount];
            AlertEncoding.Encode(data.Snr(sample), data.Mask(sample), workspace.InputSpan);
            network.ForwardBackward(workspace, data.Label(sample), 1.0, full, dropoutSeed: 5);
            AlertEncoding.Encode(data.Snr(sample), data.Mask(sample), workspace.InputSpan);
            network.ForwardBackward(workspace, data.Label(sample), 1.0, truncated, dropoutSeed: 5, firstTrainable: 4);
            int from = network.ParameterOffset(4);
            Assert.Equal(full[from..], truncated[from..]);
            Assert.All(truncated[..from], v => Assert.Equal(0f, v));
            Assert.Contains(full[..from], v => v != 0);
        }
    }

    [Theory]
    [InlineData("compact-v1")]
    [InlineData("cnn-v1")]
    public void A_network_rebuilt_from_a_model_document_holds_its_parameters_and_gives_the_engine_s_answers(string architecture)
    {
        var original = new TrainingNetwork(TrainingArchitectures.ByName(architecture));
        original.Initialize(5);
        ModelDocument document = EclwReader.Read(EclwWriter.ToBytes(TrainedNetwork.From(original).ToEngineModel(architecture)));
        TrainingNetwork rebuilt = EngineModel.ToTrainingNetwork(document);
        Assert.Equal(original.Parameters.ToArray(), rebuilt.Parameters.ToArray());
        Assert.Equal(document.Network.Layers, EngineModel.ToDescription(rebuilt.Spec).Layers);

        LabelledAlerts data = ToyAlerts.Make(3, 56, seed: 2);
        InferenceContext engine = Model.Load(EclwWriter.ToBytes(document)).CreateContext();
        NetworkWorkspace workspace = rebuilt.CreateWorkspace();
        for (int i = 0; i < data.Count; i++)
        {
            float expected = engine.Classify(data.Snr(i), data.Mask(i)).Probability;
            Assert.Equal(expected, rebuilt.PredictProbability(data.Snr(i), data.Mask(i), workspace), 1e-5f);
        }
    }

    [Fact]
    public void Int8_or_normalised_documents_are_not_fine_tuned()
    {
        var network = new TrainingNetwork(TrainingArchitectures.CompactV1());
        ModelDocument document = TrainedNetwork.From(network).ToEngineModel("compact-v1");
        Assert.Contains("normalises", Assert.Throws<ArgumentException>(() =>
            EngineModel.ToTrainingNetwork(document with { Normalization = new InputNormalization(2f, 0f) })).Message, StringComparison.Ordinal);
        Assert.Contains("float32", Assert.Throws<ArgumentException>(() =>
            EngineModel.ToTrainingNetwork(document with { NumberFormat = NumberFormat.Int8 })).Message, StringComparison.Ordinal);
    }
}
