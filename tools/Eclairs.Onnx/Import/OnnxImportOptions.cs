using System.Collections.Generic;
using Eclairs.Onboard.Inference;

namespace Eclairs.Onnx;

/// <summary>Choices for <see cref="OnnxImporter.Import"/>; every one may be left null.</summary>
public sealed record OnnxImportOptions
{
    /// <summary>Model name (default: the file's eclairs.name metadata, else the graph's name).</summary>
    public string? Name { get; init; }

    /// <summary>Decision threshold on the probability (default: eclairs.decision_threshold metadata, else 0.5).</summary>
    public float? DecisionThreshold { get; init; }

    /// <summary>Name of the SNR input of a two-input graph (default: the input called "snr").</summary>
    public string? SnrInput { get; init; }

    /// <summary>Name of the mask input of a two-input graph (default: the input called "mask").</summary>
    public string? MaskInput { get; init; }

    /// <summary>Recorded in the provenance (e.g. the path of the file imported).</summary>
    public string? Source { get; init; }
}

/// <summary>An imported model and what the user should know about it.</summary>
/// <param name="Document">The float32 model, validated.</param>
/// <param name="Notes">Differences between the graph and the engine worth reading (also in the provenance).</param>
public sealed record OnnxImportResult(ModelDocument Document, IReadOnlyList<string> Notes);
