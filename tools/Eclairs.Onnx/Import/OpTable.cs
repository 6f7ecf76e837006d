using System;
using System.Collections.Generic;

namespace Eclairs.Onnx;

/// <summary>
/// The translation of each ONNX operator the importer understands, in one place. A translator returns the symbol
/// of the node's first output or refuses the node naming what would be needed. Phase 2 of issue 17 widens this table
/// (and the translators refusing with <see cref="Phase2"/>) as the engine gains layers.
/// </summary>
internal static class OpTable
{
    private static readonly Dictionary<string, Func<NodeContext, Sym>> Translators = new(StringComparer.Ordinal)
    {
        ["Conv"] = ConvolutionOps.Conv,
        ["BatchNormalization"] = ConvolutionOps.BatchNormalization,
        ["MaxPool"] = PoolingOps.MaxPool,
        ["AveragePool"] = PoolingOps.AveragePool,
        ["Pad"] = PoolingOps.Pad,
        ["GlobalAveragePool"] = PoolingOps.GlobalAveragePool,
        ["ReduceMean"] = PoolingOps.ReduceMean,
        ["Gemm"] = DenseOps.Gemm,
        ["MatMul"] = DenseOps.MatMul,
        ["Relu"] = ElementwiseOps.Relu,
        ["Sigmoid"] = ElementwiseOps.Sigmoid,
        ["Dropout"] = ElementwiseOps.Dropout,
        ["Identity"] = ElementwiseOps.Identity,
        ["Add"] = ElementwiseOps.Arithmetic,
        ["Sub"] = ElementwiseOps.Arithmetic,
        ["Mul"] = ElementwiseOps.Arithmetic,
        ["Div"] = ElementwiseOps.Arithmetic,
        ["Flatten"] = LayoutOps.Flatten,
        ["Reshape"] = LayoutOps.Reshape,
        ["Transpose"] = LayoutOps.Transpose,
        ["Squeeze"] = LayoutOps.Squeeze,
        ["Unsqueeze"] = LayoutOps.Unsqueeze,
        ["Equal"] = InputStageOps.Equal,
        ["Not"] = InputStageOps.Not,
        ["Where"] = InputStageOps.Where,
        ["Concat"] = InputStageOps.Concat,
        ["Cast"] = InputStageOps.Cast,
    };

    /// <summary>What would be needed for operators people meet often and the importer does not translate.</summary>
    private static readonly Dictionary<string, string> Hints = new(StringComparer.Ordinal)
    {
        ["Softmax"] = "a single logit with Sigmoid (a two-class Softmax equals Sigmoid of the difference of its two logits: export that)",
        ["LogSoftmax"] = "a single logit with Sigmoid",
        ["LeakyRelu"] = "a LeakyReLU activation in the engine (it fuses ReLU only)",
        ["Elu"] = "an ELU activation in the engine",
        ["Selu"] = "a SELU activation in the engine",
        ["PRelu"] = "a PReLU activation in the engine",
        ["Tanh"] = "a tanh activation in the engine",
        ["Clip"] = "a clipped activation (ReLU6) in the engine",
        ["HardSigmoid"] = "a hard-sigmoid activation in the engine",
        ["GlobalMaxPool"] = "a global max pooling layer in the engine",
        ["ConvTranspose"] = "a transposed convolution layer in the engine",
        ["Upsample"] = "an upsampling layer in the engine",
        ["Resize"] = "an upsampling layer in the engine",
        ["LRN"] = "a local response normalisation layer in the engine",
        ["InstanceNormalization"] = "an instance normalisation layer in the engine",
        ["LayerNormalization"] = "a layer normalisation layer in the engine",
        ["QuantizeLinear"] = "the float model (the importer reads float graphs; quantize with `eclairs quantize`)",
        ["DequantizeLinear"] = "the float model (the importer reads float graphs; quantize with `eclairs quantize`)",
        ["QLinearConv"] = "the float model (the importer reads float graphs; quantize with `eclairs quantize`)",
        ["If"] = "a graph without control flow",
        ["Loop"] = "a graph without control flow",
        ["Scan"] = "a graph without control flow",
        ["LSTM"] = "a recurrent layer in the engine",
        ["GRU"] = "a recurrent layer in the engine",
        ["RNN"] = "a recurrent layer in the engine",
    };

    public static Sym Translate(NodeContext c)
    {
        if (c.Node.Domain is not ("" or "ai.onnx"))
        {
            throw c.Refuse($"an operator of domain '{c.Node.Domain}'", "an operator of the default ONNX domain");
        }
        if (ConstantFolding.TryFold(c) is { } folded)
        {
            return folded;
        }
        if (Translators.TryGetValue(c.OpType, out Func<NodeContext, Sym>? translate))
        {
            return translate(c);
        }
        throw c.Refuse("the importer has no translation for this operator",
            Hints.TryGetValue(c.OpType, out string? hint) ? hint : $"an engine layer computing {c.OpType}");
    }

    /// <summary>The operator types the importer translates (for documentation and the conformance table).</summary>
    public static IEnumerable<string> Supported => Translators.Keys;
}
