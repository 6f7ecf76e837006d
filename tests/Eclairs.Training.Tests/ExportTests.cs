using System;
using Eclairs.Training.Data;
using Eclairs.Training.Export;
using Eclairs.Training.Networks;
using Xunit;

namespace Eclairs.Training.Tests;

public class ExportTests
{
    [Fact]
    public void Parameter_counts_match_the_deck_and_the_compact_budget()
    {
        Assert.Equal(1_624_993, new TrainingNetwork(Architectures.CnnV1()).ParameterCount);
        int compact = new TrainingNetwork(Architectures.CompactV1()).ParameterCount;
        Assert.Equal(41_201, compact);
        Assert.True(compact <= 50_000);
        string summary = new TrainingNetwork(Architectures.CnnV1()).Summary();
        Assert.Contains("14x14x64", summary);
        Assert.Contains("1,605,760 parameters", summary);
        Assert.EndsWith("total 1,624,993 parameters", summary);
    }

    [Theory]
    [InlineData("cnn-v1")]
    [InlineData("compact-v1")]
    public void Exported_layouts_reproduce_the_trainer_forward_pass(string architecture)
    {
        var network = new TrainingNetwork(Architectures.ByName(architecture));
        network.Initialize(21);
        Span<float> p = network.Parameters;
        for (int i = 0; i < p.Length; i++)
        {
            p[i] += 0.01f * MathF.Sin(i); // non-zero biases too
        }

        TrainedNetwork trained = TrainedNetwork.From(network);
        Assert.Equal(network.ParameterCount, trained.ParameterCount);
        LabelledAlerts data = ToyAlerts.Make(4, 56, seed: 2);
        NetworkWorkspace workspace = network.CreateWorkspace();
        for (int i = 0; i < data.Count; i++)
        {
            float[] snr = data.Snr(i).ToArray();
            byte[] mask = data.Mask(i).ToArray();
            double expected = NaiveNetwork.Probability(trained, snr, mask);
            float actual = network.PredictProbability(snr, mask, workspace);
            Assert.True(Math.Abs(expected - actual) < 1e-5, $"alert {i}: naive {expected} vs trainer {actual}");
        }
    }

    [Fact]
    public void Tensors_come_in_engine_order_with_engine_shapes()
    {
        var network = new TrainingNetwork(Architectures.CnnV1());
        network.Initialize(3);
        TrainedNetwork trained = TrainedNetwork.From(network);
        var tensors = trained.ParameterTensors();
        Assert.Equal(8, tensors.Count);
        Assert.Equal([3, 3, 2, 32], trained.Layers[0].WeightShape);
        Assert.Equal([3, 3, 32, 64], trained.Layers[2].WeightShape);
        Assert.Equal([12544, 128], trained.Layers[5].WeightShape);
        Assert.Equal(3 * 3 * 2 * 32, tensors[0].Length);
        Assert.Equal(32, tensors[1].Length);
        Assert.Equal(12544 * 128, tensors[4].Length);
        Assert.Single(tensors[7]);
        Assert.Equal(network.LayerParameters(5)[..(12544 * 128)].ToArray(), tensors[4]);

        TrainingNetwork copy = trained.ToTrainingNetwork();
        Assert.Equal(network.Parameters.ToArray(), copy.Parameters.ToArray());
    }
}
