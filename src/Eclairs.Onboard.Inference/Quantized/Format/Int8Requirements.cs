using System.Collections.Generic;

namespace Eclairs.Onboard.Inference.Quantized;

/// <summary>One tensor an int8 model must hold: which layer, what role, element type and shape.</summary>
public sealed record Int8TensorRequirement(int LayerIndex, TensorRole Role, ElementType ElementType, IReadOnlyList<int> Shape);

/// <summary>The tensor set of an int8 model (docs/weights-format.md, "int8 models").</summary>
public static class Int8Requirements
{
    /// <summary>Largest input steps per SNR unit (the input scale is 1/steps): the mask value 3 needs 3n &lt;= 255 codes.</summary>
    public const int MaxInputSteps = 85;

    /// <summary>
    /// Per Conv2D and Dense layer: weights int8, bias int32, weight scale float32 [cout], multiplier and shift int32
    /// [cout], output scale float32 [1], output zero point int32 [1]. On the Concatenate layer: input quantization int32 [2].
    /// On a final Sigmoid: the integer decision threshold int32 [1]. A GeneralConv2D takes the Conv2D set (weights
    /// [k,k,cin,cout]); a residual Add takes multiplier and shift int32 [3] (input 1, input 2, output:
    /// <see cref="Int8AddParameters"/>), output scale float32 [1] and output zero point int32 [1].
    /// AveragePool2D and Branch take none.
    /// </summary>
    public static IReadOnlyList<Int8TensorRequirement> For(NetworkDescription network)
    {
        System.ArgumentNullException.ThrowIfNull(network);
        var list = new List<Int8TensorRequirement>();
        foreach (LayerInfo info in network.LayerInfos)
        {
            int i = info.Index;
            switch (info.Spec)
            {
                case ConcatenateLayer:
                    list.Add(new(i, TensorRole.InputQuantization, ElementType.Int32, [2]));
                    break;
                case Conv2DLayer conv:
                    AddParameterized(list, i, [conv.KernelSize, conv.KernelSize, info.InputShape.Channels, conv.Filters], conv.Filters);
                    break;
                case GeneralConv2DLayer general:
                    AddParameterized(list, i, [general.KernelSize, general.KernelSize, info.InputShape.Channels, general.Filters], general.Filters);
                    break;
                case AddLayer:
                    list.Add(new(i, TensorRole.Multiplier, ElementType.Int32, [3]));
                    list.Add(new(i, TensorRole.Shift, ElementType.Int32, [3]));
                    list.Add(new(i, TensorRole.OutputScale, ElementType.Float32, [1]));
                    list.Add(new(i, TensorRole.OutputZeroPoint, ElementType.Int32, [1]));
                    break;
                case DenseLayer dense:
                    AddParameterized(list, i, [info.InputShape.Channels, dense.Units], dense.Units);
                    break;
                case SigmoidLayer:
                    list.Add(new(i, TensorRole.DecisionThreshold, ElementType.Int32, [1]));
                    break;
            }
        }
        return list;
    }

    private static void AddParameterized(List<Int8TensorRequirement> list, int layer, int[] weightShape, int channels)
    {
        list.Add(new(layer, TensorRole.Weights, ElementType.Int8, weightShape));
        list.Add(new(layer, TensorRole.Bias, ElementType.Int32, [channels]));
        list.Add(new(layer, TensorRole.WeightScale, ElementType.Float32, [channels]));
        list.Add(new(layer, TensorRole.Multiplier, ElementType.Int32, [channels]));
        list.Add(new(layer, TensorRole.Shift, ElementType.Int32, [channels]));
        list.Add(new(layer, TensorRole.OutputScale, ElementType.Float32, [1]));
        list.Add(new(layer, TensorRole.OutputZeroPoint, ElementType.Int32, [1]));
    }
}
