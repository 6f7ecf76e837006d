using System;
using Eclairs.Training.Networks;
using Eclairs.Training.Randomness;

namespace Eclairs.Training.Layers;

/// <summary>
/// Inverted dropout. Element i of a sample is kept when a hash of (sample seed, i) is at least the rate, so the
/// backward pass regenerates the forward mask and no mask is stored; at inference the layer is the identity.
/// </summary>
internal sealed class DropoutLayer : TrainingLayer
{
    private readonly DropoutSpec _spec;
    private readonly float _scale;

    public DropoutLayer(DropoutSpec spec, TensorShape input)
        : base(input, input)
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.Validate();
        _spec = spec;
        _scale = (float)(1.0 / (1.0 - spec.Rate));
    }

    public override LayerSpec Spec => _spec;

    /// <summary>Whether element <paramref name="index"/> survives for the sample with <paramref name="seed"/>.</summary>
    internal static bool Keeps(ulong seed, int index, double rate) =>
        (SplitMix64.Mix(seed ^ (0x2545F4914F6CDD1DUL * (ulong)(index + 1))) >> 11) * (1.0 / (1UL << 53)) >= rate;

    internal override void Forward(scoped in LayerContext context, ReadOnlySpan<float> input, Span<float> output)
    {
        if (!context.Training || _spec.Rate == 0)
        {
            input.CopyTo(output);
            return;
        }

        for (int i = 0; i < input.Length; i++)
        {
            output[i] = Keeps(context.DropoutSeed, i, _spec.Rate) ? input[i] * _scale : 0f;
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

        if (!context.Training || _spec.Rate == 0)
        {
            outputGradient.CopyTo(inputGradient);
            return;
        }

        for (int i = 0; i < outputGradient.Length; i++)
        {
            inputGradient[i] = Keeps(context.DropoutSeed, i, _spec.Rate) ? outputGradient[i] * _scale : 0f;
        }
    }
}
