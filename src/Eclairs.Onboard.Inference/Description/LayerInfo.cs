using System.Collections.Generic;

namespace Eclairs.Onboard.Inference;

/// <summary>A layer of a checked description with its computed shapes and costs.</summary>
/// <param name="Index">Position in the description.</param>
/// <param name="Spec">The layer.</param>
/// <param name="InputShape">Shape it reads (for <see cref="InputLayer"/>: the shape of one plane).</param>
/// <param name="OutputShape">Shape it produces.</param>
/// <param name="ParameterCount">Weights plus biases.</param>
/// <param name="Macs">Multiply-accumulates per inference (padding included, as usually counted).</param>
public sealed record LayerInfo(int Index, LayerSpec Spec, TensorShape InputShape, TensorShape OutputShape,
    long ParameterCount, long Macs);

/// <summary>What a parameter tensor is for.</summary>
public enum TensorRole
{
    /// <summary>Conv2D HWIO [kh][kw][cin][cout] or Dense [in][out].</summary>
    Weights = 0,
    /// <summary>One value per output channel or unit.</summary>
    Bias = 1,
    /// <summary>int8 models: float32 [cout], the weights' per-channel scale (informative: dequantization, reports).</summary>
    WeightScale = 2,
    /// <summary>int8 models: int32 [cout], requantization multiplier M, 0 or in [2^30, 2^31).</summary>
    Multiplier = 3,
    /// <summary>int8 models: int32 [cout], requantization shift s in [-31, 30] (positive = left).</summary>
    Shift = 4,
    /// <summary>int8 models: float32 [1], scale of the layer's int8 output.</summary>
    OutputScale = 5,
    /// <summary>int8 models: int32 [1], zero point of the layer's int8 output, in [-128, 127].</summary>
    OutputZeroPoint = 6,
    /// <summary>int8 models, on the Concatenate layer: int32 [2] = (steps per SNR unit n, zero point); input scale is 1/n.</summary>
    InputQuantization = 7,
    /// <summary>int8 models, on the Sigmoid layer: int32 [1], true alert when the raw int8 logit is &gt;= this.</summary>
    DecisionThreshold = 8,
}

/// <summary>A parameter tensor a description needs: which layer, what role, what shape.</summary>
public sealed record TensorRequirement(int LayerIndex, TensorRole Role, IReadOnlyList<int> Shape)
{
    /// <summary>Number of elements.</summary>
    public long ElementCount
    {
        get
        {
            long n = 1;
            foreach (int d in Shape)
            {
                n *= d;
            }
            return n;
        }
    }
}
