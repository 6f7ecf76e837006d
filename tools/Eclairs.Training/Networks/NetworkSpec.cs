using System;
using System.Collections.Generic;
using System.Linq;

namespace Eclairs.Training.Networks;

/// <summary>An architecture: input shape and the layers in order. The last layer must produce one logit.</summary>
public sealed class NetworkSpec
{
    /// <summary>Creates a spec; shapes are checked when a <see cref="TrainingNetwork"/> is built from it.</summary>
    public NetworkSpec(string name, TensorShape input, IEnumerable<LayerSpec> layers)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(layers);
        input.Validate("network input");
        Name = name;
        Input = input;
        Layers = layers.ToArray();
        if (Layers.Count == 0)
        {
            throw new ArgumentException("A network needs at least one layer.", nameof(layers));
        }
    }

    /// <summary>Architecture name, e.g. cnn-v1.</summary>
    public string Name { get; }

    /// <summary>Shape of one input sample (height x width x 2: SNR and mask).</summary>
    public TensorShape Input { get; }

    /// <summary>
    /// False for the mask ablation: the mask channel is zeroed after encoding and augmentation, and the first
    /// convolution's mask-channel weights start at 0 and, seeing only zeros, get no gradient and stay exactly 0, so the
    /// engine, which always feeds the mask, computes the same function.
    /// </summary>
    public bool UsesMask { get; init; } = true;

    /// <summary>Layers in evaluation order.</summary>
    public IReadOnlyList<LayerSpec> Layers { get; }
}
