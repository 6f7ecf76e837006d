using System;
using System.Collections.Generic;
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
        var layers = new List<Engine.LayerSpec>
        {
            new Engine.InputLayer(network.Input.Height, network.Input.Width),
            new Engine.ConcatenateLayer(),
        };
        foreach (TrainedLayer layer in network.Layers)
        {
            layers.Add(layer.Spec switch
            {
                Conv2DSpec conv => new Engine.Conv2DLayer(conv.Filters, conv.Kernel, ToEngine(conv.Padding), ToEngine(conv.Activation)),
                MaxPool2DSpec => new Engine.MaxPool2DLayer(),
                GlobalAveragePoolSpec => new Engine.GlobalAveragePoolLayer(),
                FlattenSpec => new Engine.FlattenLayer(),
                DenseSpec dense => new Engine.DenseLayer(dense.Units, ToEngine(dense.Activation)),
                DropoutSpec dropout => new Engine.DropoutLayer((float)dropout.Rate),
                _ => throw new NotSupportedException($"The engine has no layer for {layer.Spec}."),
            });
        }

        layers.Add(new Engine.SigmoidLayer());
        return new Engine.NetworkDescription(layers);
    }

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
