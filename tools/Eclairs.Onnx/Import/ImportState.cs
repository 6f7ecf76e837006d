using System;
using System.Collections.Generic;
using System.Globalization;
using Eclairs.Onboard.Inference;

namespace Eclairs.Onnx;

/// <summary>
/// The importer's working state: the symbolic value of every ONNX value seen so far and the layer chain built. The
/// engine runs a chain (each layer reads the previous one's output), so a layer may only be appended after the last
/// one; a graph that reads an earlier activation again has branches, which the engine does not run yet.
/// </summary>
internal sealed class ImportState
{
    public ImportState(OnnxGraph graph) => Graph = graph;

    public OnnxGraph Graph { get; }

    public Dictionary<string, Sym> Values { get; } = new(StringComparer.Ordinal);

    public List<ImportedLayer> Layers { get; } = [];

    /// <summary>Things the user should know about an import that succeeded (written to the provenance).</summary>
    public List<string> Notes { get; } = [];

    public int Last => Layers.Count - 1;

    /// <summary>The SNR scale and offset found before the input Concat.</summary>
    public InputNormalization Normalization { get; set; } = InputNormalization.Identity;

    /// <summary>Appends <paramref name="layer"/> after the layer <paramref name="input"/> comes from.</summary>
    public FeatureSym Append(NodeContext node, FeatureSym input, ImportedLayer layer, int[]? axes)
    {
        if (input.Layer != Last)
        {
            throw node.Refuse(string.Create(CultureInfo.InvariantCulture,
                $"it reads the output of layer {input.Layer} ({Layers[input.Layer].Spec.Kind}, from '{Layers[input.Layer].Source}'), "
                + $"which layer {input.Layer + 1} ({Layers[input.Layer + 1].Spec.Kind}, from '{Layers[input.Layer + 1].Source}') reads too: the graph branches"),
                Phase2.Branches);
        }
        Layers.Add(layer);
        return new FeatureSym(Last, layer.Output, axes, null, Exclusive: true);
    }

    /// <summary>The layer a fusion (bias, batch norm, ReLU) would change, if it may be changed.</summary>
    public ImportedLayer? Fusable(FeatureSym value, NodeContext node, int input) =>
        value.Layer == Last && value.Exclusive && node.InputIsExclusive(input) ? Layers[value.Layer] : null;
}
