using System;
using System.Collections.Generic;
using Eclairs.Onboard.Inference;

namespace Eclairs.CodeGen;

/// <summary>
/// The layers the generated C runs, checked before anything is planned: a layer of another kind or of a known kind
/// with shapes the C kernels do not compute (a Conv2D of another kernel side, a pooling other than 2x2 stride 2, an Add
/// of two shapes) is refused with the layer named, never compiled into C that computes something else. Shapes are checked against what the C computes, so a parameter added to a layer record later (a stride) is
/// caught by the shape it gives even though this file does not know it.
/// </summary>
public static class CLayerSupport
{
    /// <summary>What the generated C runs, for the refusal message.</summary>
    public const string Supported = "Input, Concatenate, Conv2D (3x3 or 5x5, stride 1, 'same' or 'valid'), "
        + "GeneralConv2D (1x1, 3x3, 5x5 or 7x7, stride 1 or 2, 'same' or 'valid'), MaxPool2D and AveragePool2D (2x2, stride 2), "
        + "GlobalAveragePool, Add (residual, same shapes), Branch, Flatten, Dense, Dropout, Sigmoid";

    /// <summary>Throws for the first layer the generated C cannot run.</summary>
    /// <exception cref="NotSupportedException">Names the layer (index and kind) and what the C runs.</exception>
    public static void Check(IEnumerable<LayerInfo> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        foreach (LayerInfo info in layers)
        {
            if (Refusal(info) is { } reason)
            {
                throw new NotSupportedException(
                    $"layer {info.Index} ({Name(info.Spec)}): {reason}; the generated C runs {Supported} "
                    + "(classify this model with the engine or the native library)");
            }
        }
    }

    /// <summary>Why the generated C cannot run the layer, or null when it can.</summary>
    public static string? Refusal(LayerInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        TensorShape input = info.InputShape;
        TensorShape output = info.OutputShape;
        switch (info.Spec)
        {
            case InputLayer or ConcatenateLayer or FlattenLayer or DropoutLayer or SigmoidLayer or BranchLayer:
                return null;
            case GeneralConv2DLayer conv:
            {
                if (conv.KernelSize is not (1 or 3 or 5 or 7) || conv.Stride is not (1 or 2))
                {
                    return $"a {conv.KernelSize}x{conv.KernelSize} stride-{conv.Stride} kernel has no C kernel";
                }
                int Side(int n) => ((n + (2 * conv.Pad) - conv.KernelSize) / conv.Stride) + 1;
                var expected = new TensorShape(Side(input.Height), Side(input.Width), conv.Filters);
                return output == expected ? null : $"output {output} is not the stride-{conv.Stride} convolution's {expected}";
            }
            case AveragePool2DLayer:
            {
                var expected = new TensorShape(input.Height / 2, input.Width / 2, input.Channels);
                return output == expected ? null : $"output {output} is not the 2x2 stride-2 pooling's {expected}";
            }
            case AddLayer:
                return output == input ? null : $"output {output} is not its input's shape {input}";
            case Conv2DLayer conv:
            {
                if (conv.KernelSize is not (3 or 5))
                {
                    return $"a {conv.KernelSize}x{conv.KernelSize} kernel has no C kernel";
                }
                int shrink = conv.Padding == Padding.Same ? 0 : conv.KernelSize - 1;
                var expected = new TensorShape(input.Height - shrink, input.Width - shrink, conv.Filters);
                return output == expected ? null : $"output {output} is not the stride-1 convolution's {expected}";
            }
            case MaxPool2DLayer:
            {
                var expected = new TensorShape(input.Height / 2, input.Width / 2, input.Channels);
                return output == expected ? null : $"output {output} is not the 2x2 stride-2 pooling's {expected}";
            }
            case GlobalAveragePoolLayer:
                return output == new TensorShape(1, 1, input.Channels) ? null : $"output {output} is not 1x1x{input.Channels}";
            case DenseLayer dense:
                return input.IsVector && output == new TensorShape(1, 1, dense.Units) ? null : $"{input} to {output} is not a vector to 1x1x{dense.Units}";
            default:
                return "no kernel in the generated C";
        }
    }

    private static string Name(LayerSpec spec)
    {
        string kind = spec.Kind.ToString();
        string type = spec.GetType().Name;
        return type.StartsWith(kind, StringComparison.Ordinal) ? kind : $"{type}, kind {kind}";
    }
}
