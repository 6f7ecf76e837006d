using System;
using System.Numerics.Tensors;
using Eclairs.Training.Networks;

namespace Eclairs.Training.Layers;

/// <summary>Mean of every channel over height and width; the gradient spreads evenly back over the pixels.</summary>
internal sealed class GlobalAveragePoolLayer : TrainingLayer
{
    private static readonly GlobalAveragePoolSpec SpecInstance = new();
    private readonly int _pixels, _channels;

    public GlobalAveragePoolLayer(TensorShape input)
        : base(input, TensorShape.Vector(input.Channels))
    {
        _pixels = input.Height * input.Width;
        _channels = input.Channels;
    }

    public override LayerSpec Spec => SpecInstance;

    internal override void Forward(scoped in LayerContext context, ReadOnlySpan<float> input, Span<float> output)
    {
        output.Clear();
        for (int p = 0; p < _pixels; p++)
        {
            TensorPrimitives.Add(output, input.Slice(p * _channels, _channels), output);
        }

        TensorPrimitives.Multiply(output, 1f / _pixels, output);
    }

    internal override void Backward(
        scoped in LayerContext context,
        ReadOnlySpan<float> input,
        ReadOnlySpan<float> output,
        Span<float> outputGradient,
        Span<float> inputGradient,
        bool computeInputGradient)
    {
        if (!computeInputGradient)
        {
            return;
        }

        TensorPrimitives.Multiply(outputGradient, 1f / _pixels, outputGradient);
        for (int p = 0; p < _pixels; p++)
        {
            outputGradient.CopyTo(inputGradient.Slice(p * _channels, _channels));
        }
    }
}
