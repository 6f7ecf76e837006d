using System;
using System.Numerics.Tensors;
using Eclairs.Training.Networks;

namespace Eclairs.Training.Layers;

/// <summary>
/// Max pooling 2x2 stride 2 (floor). The backward pass routes each output gradient to the first input of its
/// window (row-major order) equal to the maximum, found again from the stored input rather than remembered.
/// </summary>
internal sealed class MaxPool2DLayer : TrainingLayer
{
    private static readonly MaxPool2DSpec SpecInstance = new();
    private readonly int _inW, _channels;

    public MaxPool2DLayer(TensorShape input)
        : base(input, OutputShapeOf(input))
    {
        _inW = input.Width;
        _channels = input.Channels;
    }

    public override LayerSpec Spec => SpecInstance;

    private static TensorShape OutputShapeOf(TensorShape input)
    {
        if (input.Height < 2 || input.Width < 2)
        {
            throw new ArgumentException($"MaxPool2D 2x2 needs at least 2x2 input; got {input}.", nameof(input));
        }

        return new TensorShape(input.Height / 2, input.Width / 2, input.Channels);
    }

    internal override void Forward(scoped in LayerContext context, ReadOnlySpan<float> input, Span<float> output)
    {
        int c = _channels;
        for (int oy = 0; oy < OutputShape.Height; oy++)
        {
            for (int ox = 0; ox < OutputShape.Width; ox++)
            {
                int top = ((2 * oy) * _inW + 2 * ox) * c;
                int bottom = top + _inW * c;
                Span<float> o = output.Slice((oy * OutputShape.Width + ox) * c, c);
                TensorPrimitives.Max(input.Slice(top, c), input.Slice(top + c, c), o);
                TensorPrimitives.Max(o, input.Slice(bottom, c), o);
                TensorPrimitives.Max(o, input.Slice(bottom + c, c), o);
            }
        }
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

        inputGradient.Clear();
        int c = _channels;
        for (int oy = 0; oy < OutputShape.Height; oy++)
        {
            for (int ox = 0; ox < OutputShape.Width; ox++)
            {
                int top = ((2 * oy) * _inW + 2 * ox) * c;
                int bottom = top + _inW * c;
                int o = (oy * OutputShape.Width + ox) * c;
                for (int ch = 0; ch < c; ch++)
                {
                    float max = output[o + ch];
                    int source =
                        input[top + ch] == max ? top + ch :
                        input[top + c + ch] == max ? top + c + ch :
                        input[bottom + ch] == max ? bottom + ch :
                        bottom + c + ch;
                    inputGradient[source] += outputGradient[o + ch];
                }
            }
        }
    }
}
