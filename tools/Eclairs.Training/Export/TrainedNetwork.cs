using System;
using System.Collections.Generic;
using System.Linq;
using Eclairs.Training.Networks;

namespace Eclairs.Training.Export;

/// <summary>
/// The adapter boundary between trainer and engine: a snapshot of a trained network as layer specs and float
/// arrays already in the engine's layouts. The engine's description of the same network is
/// Input(h, w), Concatenate, these layers in order, Sigmoid; its parameter tensors are, layer by layer,
/// weights then bias of every Conv2D and Dense, which is the order of <see cref="ParameterTensors"/>.
/// </summary>
public sealed class TrainedNetwork
{
    private TrainedNetwork(string name, TensorShape input, IReadOnlyList<TrainedLayer> layers)
    {
        Name = name;
        Input = input;
        Layers = layers;
    }

    /// <summary>Architecture name (e.g. cnn-v1).</summary>
    public string Name { get; }

    /// <summary>Input shape: height x width x 2 (SNR, mask).</summary>
    public TensorShape Input { get; }

    /// <summary>The layers after the input concatenation, ending with the logit (the sigmoid is implied).</summary>
    public IReadOnlyList<TrainedLayer> Layers { get; }

    /// <summary>Total number of weights and biases.</summary>
    public long ParameterCount => Layers.Sum(l => (long)l.Weights.Length + l.Bias.Length);

    /// <summary>Copies the current parameters of <paramref name="network"/>.</summary>
    public static TrainedNetwork From(TrainingNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        var layers = new List<TrainedLayer>();
        for (int i = 0; i < network.Layers.Count; i++)
        {
            var layer = network.Layers[i];
            ReadOnlySpan<float> parameters = network.LayerParameters(i);
            float[]? weights = null, bias = null;
            int[] shape = [];
            switch (layer.Spec)
            {
                case Conv2DSpec conv:
                    shape = [conv.Kernel, conv.Kernel, layer.InputShape.Channels, conv.Filters];
                    break;
                case DenseSpec dense:
                    shape = [layer.InputShape.Channels, dense.Units];
                    break;
            }

            if (layer.ParameterCount > 0)
            {
                weights = parameters[..layer.WeightCount].ToArray();
                bias = parameters[layer.WeightCount..].ToArray();
            }

            layers.Add(new TrainedLayer(layer.Spec, layer.InputShape, layer.OutputShape, weights, shape, bias));
        }

        return new TrainedNetwork(network.Spec.Name, network.Spec.Input, layers);
    }

    /// <summary>Weights then bias of every layer that has parameters, in layer order (the engine's tensor order).</summary>
    public IReadOnlyList<float[]> ParameterTensors()
    {
        var tensors = new List<float[]>();
        foreach (TrainedLayer layer in Layers.Where(l => l.HasParameters))
        {
            tensors.Add(layer.Weights.ToArray());
            tensors.Add(layer.Bias.ToArray());
        }

        return tensors;
    }

    /// <summary>A trainable network with this architecture and these parameters (to evaluate or fine-tune).</summary>
    public TrainingNetwork ToTrainingNetwork()
    {
        var network = new TrainingNetwork(new NetworkSpec(Name, Input, Layers.Select(l => l.Spec)));
        for (int i = 0; i < Layers.Count; i++)
        {
            Span<float> target = network.LayerParameters(i);
            Layers[i].Weights.CopyTo(target);
            Layers[i].Bias.CopyTo(target[Layers[i].Weights.Length..]);
        }

        return network;
    }
}
