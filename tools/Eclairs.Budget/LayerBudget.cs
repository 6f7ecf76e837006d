using System.Collections.Generic;
using Eclairs.Onboard.Inference;

namespace Eclairs.Budget;

/// <summary>What one layer costs per inference and keeps in memory, in a given number format.</summary>
/// <param name="Index">Position in the network.</param>
/// <param name="Layer">Kind and size, e.g. "Conv2D 3x3x32".</param>
/// <param name="OutputShape">H x W x C of the output.</param>
/// <param name="Macs">Multiply-accumulates (padding included, as usually counted).</param>
/// <param name="Parameters">Weights plus biases.</param>
/// <param name="ParameterBytes">Bytes of parameters as stored in the model file's layout.</param>
/// <param name="ActivationBytes">Bytes of the layer's output activation.</param>
public sealed record LayerBudget(int Index, string Layer, string OutputShape, long Macs, long Parameters,
    long ParameterBytes, long ActivationBytes);

/// <summary>The per-layer arithmetic of the budget (no measurement).</summary>
public static class LayerBudgets
{
    /// <summary>
    /// float32: 4 bytes per parameter and per activation. int8 (docs/int8.md): 1 byte per weight, and per output
    /// channel an int32 bias, multiplier and shift (12 bytes); 1 byte per activation.
    /// </summary>
    public static IReadOnlyList<LayerBudget> For(NetworkDescription network, NumberFormat format)
    {
        var layers = new List<LayerBudget>();
        foreach (LayerInfo info in network.LayerInfos)
        {
            long elementBytes = format == NumberFormat.Int8 ? 1 : 4;
            long channels = info.Spec is Conv2DLayer or DenseLayer ? info.OutputShape.Channels : 0;
            long parameterBytes = format == NumberFormat.Int8
                ? (info.ParameterCount - channels) + (12 * channels)
                : 4 * info.ParameterCount;
            // The Input layer's two planes are what the caller passes: SNR float32 and mask bytes.
            long activationBytes = info.Spec is InputLayer
                ? (long)info.OutputShape.Height * info.OutputShape.Width * (4 + 1)
                : info.OutputShape.Size * elementBytes;
            layers.Add(new LayerBudget(info.Index, Describe(info.Spec), info.OutputShape.ToString(), info.Macs,
                info.ParameterCount, parameterBytes, activationBytes));
        }
        return layers;
    }

    private static string Describe(LayerSpec spec) => spec switch
    {
        Conv2DLayer c => $"Conv2D {c.KernelSize}x{c.KernelSize}x{c.Filters}{(c.Activation == Activation.Relu ? " ReLU" : "")}",
        DenseLayer d => $"Dense {d.Units}{(d.Activation == Activation.Relu ? " ReLU" : "")}",
        InputLayer => "Input",
        ConcatenateLayer => "Concatenate",
        MaxPool2DLayer => "MaxPool2D 2x2",
        GlobalAveragePoolLayer => "GlobalAveragePool",
        FlattenLayer => "Flatten",
        DropoutLayer => "Dropout",
        SigmoidLayer => "Sigmoid",
        _ => spec.GetType().Name,
    };
}
