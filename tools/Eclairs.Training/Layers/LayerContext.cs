using System;

namespace Eclairs.Training.Layers;

/// <summary>What a layer sees while processing one sample: its own parameter and gradient slices and scratch.</summary>
internal readonly ref struct LayerContext
{
    public LayerContext(ReadOnlySpan<float> parameters, Span<float> gradients, Span<float> scratch, bool training, ulong dropoutSeed)
        : this(parameters, gradients, scratch, training, dropoutSeed, default, default)
    {
    }

    public LayerContext(
        ReadOnlySpan<float> parameters,
        Span<float> gradients,
        Span<float> scratch,
        bool training,
        ulong dropoutSeed,
        Span<float> deferredInput,
        Span<float> deferredOutputGradient)
    {
        Parameters = parameters;
        Gradients = gradients;
        Scratch = scratch;
        Training = training;
        DropoutSeed = dropoutSeed;
        DeferredInput = deferredInput;
        DeferredOutputGradient = deferredOutputGradient;
    }

    /// <summary>
    /// When not empty, a layer that supports it stores this sample's input here instead of adding its weight
    /// gradient at once; the trainer forms the batch's weight gradient later as one product (see <see cref="DenseLayer"/>).
    /// </summary>
    public Span<float> DeferredInput { get; }

    /// <summary>Companion of <see cref="DeferredInput"/>: this sample's gradient at the layer's pre-activation output.</summary>
    public Span<float> DeferredOutputGradient { get; }

    /// <summary>This layer's parameters: weights first, then biases.</summary>
    public ReadOnlySpan<float> Parameters { get; }

    /// <summary>Where this layer adds its parameter gradients (same layout as <see cref="Parameters"/>).</summary>
    public Span<float> Gradients { get; }

    /// <summary>Per-sample scratch owned by this layer, kept from its forward to its backward pass.</summary>
    public Span<float> Scratch { get; }

    /// <summary>True in training (dropout active), false at inference.</summary>
    public bool Training { get; }

    /// <summary>Seed of this sample's dropout masks; the backward pass regenerates the same mask from it.</summary>
    public ulong DropoutSeed { get; }
}
