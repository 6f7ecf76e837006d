using System;
using System.Collections.Generic;
using System.Linq;

namespace Eclairs.Onboard.Inference;

/// <summary>
/// Everything a <c>.eclw</c> file holds, in memory: the network, its parameters and metadata.
/// Built by the trainer and the tests, written by <see cref="EclwWriter"/>, produced by <see cref="EclwReader"/>.
/// </summary>
public sealed record ModelDocument
{
    /// <summary>Longest name in UTF-8 bytes (the ICD's name[64] with its NUL).</summary>
    public const int MaxNameBytes = 63;

    /// <summary>Longest provenance text in UTF-8 bytes.</summary>
    public const int MaxProvenanceBytes = 65536;

    /// <summary>Creates a float32 document.</summary>
    public ModelDocument(string name, NetworkDescription network, IReadOnlyList<TensorEntry> tensors)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(tensors);
        Name = name;
        Network = network;
        Tensors = tensors;
    }

    /// <summary>Model name (at most 63 UTF-8 bytes, no NUL).</summary>
    public string Name { get; init; }

    /// <summary>The layers.</summary>
    public NetworkDescription Network { get; init; }

    /// <summary>Parameter tensors, one weights and one bias tensor per Conv2D and Dense layer.</summary>
    public IReadOnlyList<TensorEntry> Tensors { get; init; }

    /// <summary>Arithmetic of the parameters and activations.</summary>
    public NumberFormat NumberFormat { get; init; } = NumberFormat.Float32;

    /// <summary>An alert is called true when probability &gt;= this (in [0, 1]).</summary>
    public float DecisionThreshold { get; init; } = 0.5f;

    /// <summary>SNR normalisation applied before the first layer.</summary>
    public InputNormalization Normalization { get; init; } = InputNormalization.Identity;

    /// <summary>Free text: data set, training command, commit.</summary>
    public string Provenance { get; init; } = string.Empty;

    /// <summary>A float32 document with the given parameters, in <see cref="NetworkDescription.RequiredTensors"/> order.</summary>
    public static ModelDocument FromParameters(string name, NetworkDescription network, IReadOnlyList<float[]> parameters)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(parameters);
        IReadOnlyList<TensorRequirement> required = network.RequiredTensors;
        if (parameters.Count != required.Count)
        {
            throw new ArgumentException($"the network needs {required.Count} tensors, {parameters.Count} given", nameof(parameters));
        }
        var tensors = new TensorEntry[required.Count];
        for (int i = 0; i < tensors.Length; i++)
        {
            TensorRequirement r = required[i];
            tensors[i] = TensorEntry.FromSingles(r.LayerIndex, r.Role, r.Shape, parameters[i]);
        }
        return new ModelDocument(name, network, tensors);
    }

    /// <summary>The first <paramref name="layerCount"/> layers with their tensors (to check layers one by one).</summary>
    public ModelDocument Prefix(int layerCount) => this with
    {
        Network = Network.Prefix(layerCount),
        Tensors = Tensors.Where(t => t.LayerIndex < layerCount).ToArray(),
    };

    /// <summary>Runs every check the loader runs after parsing.</summary>
    /// <exception cref="ModelFormatException">The first problem found.</exception>
    public void Validate() => DocumentValidator.Validate(this);
}
