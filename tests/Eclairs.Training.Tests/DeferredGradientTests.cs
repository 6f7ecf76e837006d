using System;
using Eclairs.Training.Layers;
using Eclairs.Training.Networks;
using Eclairs.Training.Randomness;
using Xunit;

namespace Eclairs.Training.Tests;

public class DeferredGradientTests
{
    [Fact]
    public void Batch_product_of_deferred_pairs_equals_per_sample_accumulation()
    {
        var network = new TrainingNetwork(new NetworkSpec("d", new TensorShape(8, 8, 2),
        [
            new Conv2DSpec(5, 3, Padding.Same, Activation.Relu),
            new MaxPool2DSpec(),
            new FlattenSpec(),
            new DenseSpec(13, Activation.Relu),
            new DropoutSpec(0.25),
            new DenseSpec(1, Activation.None),
        ]));
        network.Initialize(8);
        NetworkWorkspace workspace = network.CreateWorkspace();
        const int batch = 5;
        var deferred = new DeferredGradients(network, batch);
        float[] immediate = new float[network.ParameterCount];
        float[] viaSlots = new float[network.ParameterCount];
        var rng = new Xoshiro256StarStar(2);
        for (int s = 0; s < batch; s++)
        {
            for (int i = 0; i < workspace.Input.Length; i++)
            {
                workspace.Input[i] = (float)rng.NextGaussian();
            }

            network.ForwardBackward(workspace, s % 2, 1.5, immediate, (ulong)s);
            network.ForwardBackward(workspace, s % 2, 1.5, viaSlots, (ulong)s, deferred, slot: s);
        }

        float[] panel = new float[4 * batch];
        for (int l = 0; l < network.Layers.Count; l++)
        {
            if (!deferred.Defers(l))
            {
                continue;
            }

            var dense = (DenseLayer)network.Layers[l];
            Span<float> weights = viaSlots.AsSpan(network.ParameterOffset(l), dense.WeightCount);
            Assert.All(weights.ToArray(), g => Assert.Equal(0f, g)); // nothing was added per sample
            int rows = dense.InputShape.Size, units = dense.OutputShape.Size;
            dense.AccumulateDeferred(deferred.Inputs[l], deferred.OutputGradients[l], batch, 0, 7, weights[..(7 * units)], panel);
            dense.AccumulateDeferred(deferred.Inputs[l], deferred.OutputGradients[l], batch, 7, rows - 7, weights[(7 * units)..], panel);
        }

        int nonZero = 0;
        for (int i = 0; i < immediate.Length; i++)
        {
            Assert.True(Math.Abs(immediate[i] - viaSlots[i]) <= 1e-6 + 1e-5 * Math.Abs(immediate[i]), $"[{i}] {immediate[i]} vs {viaSlots[i]}");
            nonZero += immediate[i] != 0 ? 1 : 0;
        }

        Assert.True(nonZero > immediate.Length / 4);
    }
}
