namespace Eclairs.Onnx;

/// <summary>
/// What the engine still lacks for graphs the importer recognises but refuses. Residual Add, Branch, AveragePool
/// 2x2, 1x1 and stride-2 convolutions landed in issue 17 phase 2; a channel Concatenate of two activations remains.
/// </summary>
internal static class Phase2
{
    public const string ChannelConcat = "a channel Concatenate of two branches in the engine (today Concatenate joins only the SNR and mask inputs)";
}
