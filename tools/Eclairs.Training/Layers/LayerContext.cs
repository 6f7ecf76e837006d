using System;

namespace Eclairs.Training.Layers;

/// <summary>What a layer sees while processing one sample: its own parameter and gradient slices and scratch.</summary>
internal readonly ref struct LayerContext
{
    public LayerContext(ReadOnlySpan<float> parameters, Span<float> gradients, Span<float> scratch, bool training, ulong dropoutSeed)
    {
        Parameters = parameters;
        Gradients = gradients;
        Scratch = scratch;
        Training = training;
        DropoutSeed = dropoutSeed;
    }

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
