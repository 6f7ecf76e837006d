using System;
using System.Numerics;
using System.Numerics.Tensors;
using Eclairs.Training.Networks;

namespace Eclairs.Training.Layers;

/// <summary>
/// Max pooling 2x2 stride 2 (floor). The backward pass routes each output gradient to the first input of its
/// window (row-major order) equal to the maximum, found again from the stored input rather than remembered
/// (vectorised over channels with compare masks, scalar for the channel tail).
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

        // Windows do not overlap, so every input inside one is written exactly once; only the row and column
        // dropped by the floor need clearing.
        if (InputShape.Height % 2 != 0 || InputShape.Width % 2 != 0)
        {
            inputGradient.Clear();
        }

        int c = _channels, w = Vector<float>.Count;
        for (int oy = 0; oy < OutputShape.Height; oy++)
        {
            for (int ox = 0; ox < OutputShape.Width; ox++)
            {
                int i0 = ((2 * oy) * _inW + 2 * ox) * c, i1 = i0 + c, i2 = i0 + _inW * c, i3 = i2 + c;
                int o = (oy * OutputShape.Width + ox) * c;
                int ch = 0;
                for (; ch + w <= c; ch += w)
                {
                    var max = new Vector<float>(output.Slice(o + ch));
                    var gradient = new Vector<float>(outputGradient.Slice(o + ch));
                    Vector<int> first = Vector.Equals(new Vector<float>(input.Slice(i0 + ch)), max);
                    Vector<int> second = Vector.AndNot(Vector.Equals(new Vector<float>(input.Slice(i1 + ch)), max), first);
                    Vector<int> taken = first | second;
                    Vector<int> third = Vector.AndNot(Vector.Equals(new Vector<float>(input.Slice(i2 + ch)), max), taken);
                    Vector<int> fourth = ~(taken | third);
                    Vector.ConditionalSelect(first, gradient, Vector<float>.Zero).CopyTo(inputGradient.Slice(i0 + ch));
                    Vector.ConditionalSelect(second, gradient, Vector<float>.Zero).CopyTo(inputGradient.Slice(i1 + ch));
                    Vector.ConditionalSelect(third, gradient, Vector<float>.Zero).CopyTo(inputGradient.Slice(i2 + ch));
                    Vector.ConditionalSelect(fourth, gradient, Vector<float>.Zero).CopyTo(inputGradient.Slice(i3 + ch));
                }

                for (; ch < c; ch++)
                {
                    float max = output[o + ch], g = outputGradient[o + ch];
                    int winner = input[i0 + ch] == max ? 0 : input[i1 + ch] == max ? 1 : input[i2 + ch] == max ? 2 : 3;
                    inputGradient[i0 + ch] = winner == 0 ? g : 0f;
                    inputGradient[i1 + ch] = winner == 1 ? g : 0f;
                    inputGradient[i2 + ch] = winner == 2 ? g : 0f;
                    inputGradient[i3 + ch] = winner == 3 ? g : 0f;
                }
            }
        }
    }
}
