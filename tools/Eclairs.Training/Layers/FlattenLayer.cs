using System;
using Eclairs.Training.Networks;

namespace Eclairs.Training.Layers;

/// <summary>Channels-last activations are already stored in (h, w, c) order, so flattening only renames the shape.</summary>
internal sealed class FlattenLayer : TrainingLayer
{
    private static readonly FlattenSpec SpecInstance = new();

    public FlattenLayer(TensorShape input)
        : base(input, TensorShape.Vector(input.Size))
    {
    }

    public override LayerSpec Spec => SpecInstance;

    internal override void Forward(scoped in LayerContext context, ReadOnlySpan<float> input, Span<float> output) =>
        input.CopyTo(output);

    internal override void Backward(
        scoped in LayerContext context,
        ReadOnlySpan<float> input,
        ReadOnlySpan<float> output,
        Span<float> outputGradient,
        Span<float> inputGradient,
        bool computeInputGradient)
    {
        if (computeInputGradient)
        {
            outputGradient.CopyTo(inputGradient);
        }
    }
}
