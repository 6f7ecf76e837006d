using Eclairs.Onboard.Inference;

namespace Eclairs.Onnx;

/// <summary>
/// One layer of the chain being imported: the engine's layer, its parameters in the engine's layout (HWIO
/// convolution kernels, [in][out] dense kernels), its shapes, and the ONNX node it came from.
/// </summary>
internal sealed class ImportedLayer
{
    public ImportedLayer(LayerSpec spec, TensorShape input, TensorShape output, string source)
    {
        Spec = spec;
        Input = input;
        Output = output;
        Source = source;
    }

    /// <summary>The engine layer (replaced when a ReLU is fused into it).</summary>
    public LayerSpec Spec { get; set; }

    public TensorShape Input { get; }

    public TensorShape Output { get; }

    /// <summary>The ONNX node that made the layer (for messages).</summary>
    public string Source { get; }

    public float[]? Weights { get; set; }

    public float[]? Bias { get; set; }

    /// <summary>True when its input was read by nothing else (so a ReLU after a pool may move into this layer).</summary>
    public bool ExclusiveInput { get; init; }

    /// <summary>A Conv2D or Dense whose output is still linear (bias, batch norm and scale can fold into it).</summary>
    public bool IsLinear => Spec is Conv2DLayer { Activation: Activation.None } or GeneralConv2DLayer { Activation: Activation.None }
        or DenseLayer { Activation: Activation.None };

    public int OutputChannels => Output.Channels;
}
