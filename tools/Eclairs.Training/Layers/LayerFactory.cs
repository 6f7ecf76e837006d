using System;
using Eclairs.Training.Networks;

namespace Eclairs.Training.Layers;

/// <summary>Builds the trainable layer for a spec on a given input shape.</summary>
internal static class LayerFactory
{
    public static TrainingLayer Create(LayerSpec spec, TensorShape input) => spec switch
    {
        Conv2DSpec conv => new Conv2DLayer(conv, input),
        MaxPool2DSpec => new MaxPool2DLayer(input),
        GlobalAveragePoolSpec => new GlobalAveragePoolLayer(input),
        FlattenSpec => new FlattenLayer(input),
        DenseSpec dense => new DenseLayer(dense, input),
        DropoutSpec dropout => new DropoutLayer(dropout, input),
        null => throw new ArgumentNullException(nameof(spec)),
        _ => throw new NotSupportedException($"Layer {spec.GetType().Name} has no trainer implementation."),
    };
}
