namespace Eclairs.Onnx;

/// <summary>
/// What the engine still lacks for graphs the importer recognises but refuses (issue 17, item 2: new engine layers,
/// landing after the single kernel selector of issue 21). Each translator names one of these in its refusal; when a
/// layer lands, its translator builds the layer instead, and the conformance table's expectations widen.
/// </summary>
internal static class Phase2
{
    public const string Branches = "a layer graph with branches in the engine (its residual Add layer, issue 17 phase 2); the engine runs a chain today";

    public const string ResidualAdd = "a residual Add layer in the engine (issue 17 phase 2: TFLM's ADD requantization in int8)";

    public const string AveragePool = "an AveragePool 2x2 layer in the engine (issue 17 phase 2)";

    public const string PointwiseConv = "a 1x1 convolution layer in the engine (issue 17 phase 2)";

    public const string StridedConv = "a stride-2 convolution layer in the engine (issue 17 phase 2)";

    public const string ChannelConcat = "a channel Concatenate of two branches in the engine (today Concatenate joins only the SNR and mask inputs)";
}
