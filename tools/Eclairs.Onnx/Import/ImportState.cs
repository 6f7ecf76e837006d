using System;
using System.Collections.Generic;
using System.Globalization;
using Eclairs.Onboard.Inference;

namespace Eclairs.Onnx;

/// <summary>
/// The importer's working state: the symbolic value of every ONNX value seen so far and the layer list built. Each
/// engine layer reads the previous one's output; a node that reads an earlier activation (the second branch of a
/// residual block) gets a Branch layer before it, which restarts from that activation.
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
        BranchTo(node, input);
        Layers.Add(layer);
        return new FeatureSym(Last, layer.Output, axes, null, Exclusive: true);
    }

    /// <summary>Makes <paramref name="input"/> the last layer's output: a Branch layer when it is an earlier layer's.</summary>
    public void BranchTo(NodeContext node, FeatureSym input)
    {
        if (input.Layer == Last)
        {
            return;
        }
        if (input.Layer < 1 || input.Layer > Last)
        {
            throw node.Refuse(string.Create(CultureInfo.InvariantCulture, $"it reads layer {input.Layer}, which is not an activation of the network"), null);
        }
        Layers.Add(new ImportedLayer(new BranchLayer(input.Layer), Layers[Last].Output, input.Shape, node.Name));
    }

    /// <summary>The layer a fusion (bias, batch norm, ReLU) would change, if it may be changed.</summary>
    public ImportedLayer? Fusable(FeatureSym value, NodeContext node, int input) =>
        value.Layer == Last && value.Exclusive && node.InputIsExclusive(input) ? Layers[value.Layer] : null;
}
