using System;
using System.Collections.Generic;
using System.Linq;
using Eclairs.Training.Networks;
using Engine = Eclairs.Onboard.Inference;

namespace Eclairs.Training.Export;

/// <summary>
/// Turns a <see cref="TrainedNetwork"/> into the engine's model document (then <c>EclwWriter</c> writes the file):
/// the description is Input(h, w), Concatenate, the trained layers, Sigmoid; the tensors are the trained arrays,
/// already in the engine's layouts, in its weights-then-bias order.
/// </summary>
public static class EngineModel
{
    /// <summary>The engine's description of <paramref name="network"/>'s architecture.</summary>
    public static Engine.NetworkDescription ToDescription(TrainedNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        return ToDescription(network.Input, network.Layers.Select(l => l.Spec));
    }

    /// <summary>The engine's description of an architecture: Input(h, w), Concatenate, its layers, Sigmoid.</summary>
    /// <exception cref="Engine.ModelFormatException">A layer the engine cannot run or a chain it refuses.</exception>
    public static Engine.NetworkDescription ToDescription(NetworkSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return ToDescription(spec.Input, spec.Layers);
    }

    private static Engine.NetworkDescription ToDescription(TensorShape input, IEnumerable<LayerSpec> trained)
    {
        var layers = new List<Engine.LayerSpec>
        {
            new Engine.InputLayer(input.Height, input.Width),
            new Engine.ConcatenateLayer(),
        };
        layers.AddRange(trained.Select(ToEngine));
        layers.Add(new Engine.SigmoidLayer());
        return new Engine.NetworkDescription(layers);
    }

    /// <summary>The engine's layer for a trainer layer.</summary>
    public static Engine.LayerSpec ToEngine(LayerSpec layer) => layer switch
    {
        Conv2DSpec conv => new Engine.Conv2DLayer(conv.Filters, conv.Kernel, ToEngine(conv.Padding), ToEngine(conv.Activation)),
        MaxPool2DSpec => new Engine.MaxPool2DLayer(),
        GlobalAveragePoolSpec => new Engine.GlobalAveragePoolLayer(),
        FlattenSpec => new Engine.FlattenLayer(),
        DenseSpec dense => new Engine.DenseLayer(dense.Units, ToEngine(dense.Activation)),
        DropoutSpec dropout => new Engine.DropoutLayer((float)dropout.Rate),
        _ => throw new NotSupportedException($"The engine has no layer for {layer}."),
    };

    /// <summary>
    /// A trainable network holding a float32 model's architecture and parameters, to fine-tune or evaluate it
    /// (<c>eclairs train --init</c>). The description must be Input, Concatenate, trainer layers, Sigmoid, with the
    /// identity SNR normalisation (the trainer applies none).
    /// </summary>
    /// <exception cref="ArgumentException">An int8 model, a normalised input, or a chain the trainer cannot hold.</exception>
    public static TrainingNetwork ToTrainingNetwork(Engine.ModelDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (document.NumberFormat != Engine.NumberFormat.Float32)
        {
            throw new ArgumentException($"model '{document.Name}' is {document.NumberFormat}: training starts from a float32 model (int8 files are quantized from one)");
        }

        if (document.Normalization != Engine.InputNormalization.Identity)
        {
            throw new ArgumentException($"model '{document.Name}' normalises its SNR input (scale {document.Normalization.Scale}, offset {document.Normalization.Offset}); the trainer feeds the SNR as it is");
        }

        IReadOnlyList<Engine.LayerSpec> layers = document.Network.Layers;
        if (layers.Count < 4 || layers[0] is not Engine.InputLayer input || layers[^1] is not Engine.SigmoidLayer)
        {
            throw new ArgumentException($"model '{document.Name}' is not Input, Concatenate, layers, Sigmoid: not a classifier the trainer can hold");
        }

        var trained = layers.Skip(2).Take(layers.Count - 3).Select(FromEngine).ToList();
        var network = new TrainingNetwork(new NetworkSpec(document.Name, new TensorShape(input.Height, input.Width, 2), trained));
        foreach (Engine.TensorEntry tensor in document.Tensors)
        {
            int index = tensor.LayerIndex - 2;
            Span<float> target = network.LayerParameters(index);
            int weights = network.Layers[index].WeightCount;
            float[] values = tensor.ToSingles();
            values.CopyTo(tensor.Role == Engine.TensorRole.Weights ? target[..weights] : target[weights..]);
        }

        return network;
    }

    private static LayerSpec FromEngine(Engine.LayerSpec layer) => layer switch
    {
        Engine.Conv2DLayer c => new Conv2DSpec(c.Filters, c.KernelSize, c.Padding == Engine.Padding.Same ? Padding.Same : Padding.Valid, FromEngine(c.Activation)),
        Engine.MaxPool2DLayer => new MaxPool2DSpec(),
        Engine.GlobalAveragePoolLayer => new GlobalAveragePoolSpec(),
        Engine.FlattenLayer => new FlattenSpec(),
        Engine.DenseLayer d => new DenseSpec(d.Units, FromEngine(d.Activation)),
        Engine.DropoutLayer d => new DropoutSpec(d.Rate),
        _ => throw new ArgumentException($"layer {layer.Kind} cannot sit between Concatenate and Sigmoid in a trainable network"),
    };

    private static Activation FromEngine(Engine.Activation activation) => activation == Engine.Activation.Relu ? Activation.Relu : Activation.None;

    /// <summary>
    /// A float32 model document with the trained parameters, checked by the engine's validator.
    /// <paramref name="threshold"/> is the probability at or above which an alert is called true.
    /// </summary>
    public static Engine.ModelDocument ToEngineModel(this TrainedNetwork network, string name, float threshold = 0.5f, string provenance = "")
    {
        ArgumentNullException.ThrowIfNull(network);
        Engine.ModelDocument document = Engine.ModelDocument.FromParameters(name, ToDescription(network), network.ParameterTensors()) with
        {
            DecisionThreshold = threshold,
            Provenance = provenance,
        };
        document.Validate();
        return document;
    }

    private static Engine.Padding ToEngine(Padding padding) => padding switch
    {
        Padding.Same => Engine.Padding.Same,
        Padding.Valid => Engine.Padding.Valid,
        _ => throw new ArgumentOutOfRangeException(nameof(padding), padding, "Unknown padding."),
    };

    private static Engine.Activation ToEngine(Activation activation) => activation switch
    {
        Activation.None => Engine.Activation.None,
        Activation.Relu => Engine.Activation.Relu,
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation."),
    };
}
