using System;
using System.Collections.Generic;
using Eclairs.Training.Data;
using Eclairs.Training.Optimization;

namespace Eclairs.Training;

/// <summary>Everything that determines a training run (together with the data and the architecture).</summary>
public sealed record TrainingOptions
{
    /// <summary>Maximum number of passes over the training set.</summary>
    public int Epochs { get; init; } = 40;

    /// <summary>Samples per gradient step (the last batch of an epoch may be smaller).</summary>
    public int BatchSize { get; init; } = 16;

    /// <summary>Optimiser settings.</summary>
    public AdamOptions Adam { get; init; } = new();

    /// <summary>Seed of every random choice: initialisation, validation split, shuffling, dropout, augmentation.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Draw fresh weights from <see cref="Seed"/> before training (false: continue from the network's current weights).</summary>
    public bool InitializeWeights { get; init; } = true;

    /// <summary>Fraction split off (stratified) for validation when no validation set is given; 0 trains on everything.</summary>
    public double ValidationFraction { get; init; } = 0.2;

    /// <summary>Stop after this many epochs without a lower validation loss (0: never stop early). The best weights are kept.</summary>
    public int Patience { get; init; } = 8;

    /// <summary>Loss weight of (false alerts, true bursts); null: balanced, n / (2 n_class), computed on the training set.</summary>
    public (double Negative, double Positive)? ClassWeights { get; init; }

    /// <summary>Augmentation applied to training samples (never to validation).</summary>
    public AugmentationOptions Augmentation { get; init; } = new();

    /// <summary>Threads used; results do not depend on it.</summary>
    public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// Each batch is cut into this many fixed chunks (sample ranges); each chunk's gradient is accumulated in sample
    /// order in its own buffer and the chunks are summed in chunk order. The result depends on this number, not on
    /// the thread count. Memory: one gradient vector per chunk.
    /// </summary>
    public int GradientChunks { get; init; } = 8;

    /// <summary>
    /// Indices (in <see cref="Networks.TrainingNetwork.Layers"/>) of layers whose parameters stay exactly as they are:
    /// Adam never updates them (no weight decay either), and the backward pass stops below the lowest trainable layer.
    /// Empty: everything trains. Transfer learning: freeze the convolutions of a pre-trained network.
    /// </summary>
    public IReadOnlySet<int> FrozenLayers { get; init; } = new HashSet<int>();

    /// <summary>Quantization-aware fine-tuning: train and validate through these int8 grids (null: plain float training).</summary>
    public FakeQuantization? Quantization { get; init; }

    internal void Validate()
    {
        if (Epochs < 1 || BatchSize < 1 || Patience < 0 || MaxDegreeOfParallelism < 1 || GradientChunks < 1)
        {
            throw new ArgumentException($"Epochs, batch size, threads and chunks must be >= 1 and patience >= 0; got {this}.");
        }

        if (!(ValidationFraction >= 0 && ValidationFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(ValidationFraction), ValidationFraction, "Validation fraction must be in [0, 1).");
        }

        if (ClassWeights is { } w && !(w.Negative > 0 && w.Positive > 0 && double.IsFinite(w.Negative) && double.IsFinite(w.Positive)))
        {
            throw new ArgumentOutOfRangeException(nameof(ClassWeights), ClassWeights, "Class weights must be finite and positive.");
        }

        ArgumentNullException.ThrowIfNull(FrozenLayers);
        ArgumentNullException.ThrowIfNull(Adam);
        ArgumentNullException.ThrowIfNull(Augmentation);
        Adam.Validate();
        Augmentation.Validate();
    }
}
