using System;
using System.Numerics.Tensors;
using Eclairs.Training.Networks;
using Eclairs.Training.Randomness;

namespace Eclairs.Training.Layers;

/// <summary>
/// y = x W + b with W stored [in][out]. Each input contributes one row of W scaled by its value, so inputs that are
/// exactly zero (frequent after ReLU and dropout) are skipped in the forward pass and in the weight gradient.
/// </summary>
internal sealed class DenseLayer : TrainingLayer
{
    private readonly DenseSpec _spec;
    private readonly int _in, _out;

    public DenseLayer(DenseSpec spec, TensorShape input)
        : base(input, OutputShapeOf(spec, input))
    {
        _spec = spec;
        _in = input.Channels;
        _out = spec.Units;
    }

    public override LayerSpec Spec => _spec;

    public override int WeightCount => _in * _out;

    public override int ParameterCount => _in * _out + _out;

    private static TensorShape OutputShapeOf(DenseSpec spec, TensorShape input)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (input.Height != 1 || input.Width != 1)
        {
            throw new ArgumentException($"Dense needs a vector input; got {input}: add Flatten or GlobalAveragePool first.", nameof(input));
        }

        if (spec.Units < 1)
        {
            throw new ArgumentException($"Dense needs at least one unit; got {spec.Units}.", nameof(spec));
        }

        return TensorShape.Vector(spec.Units);
    }

    internal override void Initialize(Span<float> parameters, ref Xoshiro256StarStar rng)
    {
        Initializers.Fill(parameters[..WeightCount], _in, _out, _spec.Activation, ref rng);
        parameters[WeightCount..].Clear();
    }

    internal override void Forward(scoped in LayerContext context, ReadOnlySpan<float> input, Span<float> output)
    {
        ReadOnlySpan<float> weights = context.Parameters[..WeightCount];
        context.Parameters[WeightCount..].CopyTo(output);
        for (int i = 0; i < _in; i++)
        {
            float x = input[i];
            if (x != 0f)
            {
                TensorPrimitives.MultiplyAdd(weights.Slice(i * _out, _out), x, output, output);
            }
        }

        if (_spec.Activation == Activation.Relu)
        {
            TensorPrimitives.Max(output, 0f, output);
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
        if (_spec.Activation == Activation.Relu)
        {
            Relu.MaskGradient(output, outputGradient);
        }

        Span<float> weightGradient = context.Gradients[..WeightCount];
        Span<float> biasGradient = context.Gradients[WeightCount..];
        TensorPrimitives.Add(biasGradient, outputGradient, biasGradient);
        for (int i = 0; i < _in; i++)
        {
            float x = input[i];
            if (x != 0f)
            {
                Span<float> row = weightGradient.Slice(i * _out, _out);
                TensorPrimitives.MultiplyAdd(outputGradient, x, row, row);
            }
        }

        if (computeInputGradient)
        {
            ReadOnlySpan<float> weights = context.Parameters[..WeightCount];
            for (int i = 0; i < _in; i++)
            {
                inputGradient[i] = TensorPrimitives.Dot(weights.Slice(i * _out, _out), outputGradient);
            }
        }
    }
}
