using System.Collections.Generic;

namespace Eclairs.Onboard.Inference;

/// <summary>Shape rules of the layers that read an earlier layer (Add, Branch) and of the general convolution.</summary>
public sealed partial class NetworkDescription
{
    /// <summary>True when a later Add or Branch reads layer <paramref name="index"/>'s output (the plan keeps it).</summary>
    public bool IsReadLater(int index)
    {
        foreach (LayerSpec spec in _layers)
        {
            if (spec is AddLayer { Source: var a } && a == index || spec is BranchLayer { Source: var b } && b == index)
            {
                return true;
            }
        }
        return false;
    }

    private static TensorShape GeneralConvolution(int i, GeneralConv2DLayer conv, TensorShape input, List<TensorRequirement> tensors,
        out long parameters, out long macs)
    {
        CheckRange(i, "filters", conv.Filters, 1, MaxDimension);
        if (conv.KernelSize is not (1 or 3 or 5 or 7))
        {
            throw Fail(ModelFormatError.InvalidLayerParameter, i, $"kernel size must be 1, 3, 5 or 7, found {conv.KernelSize}");
        }
        if (conv.Stride is not (1 or 2))
        {
            throw Fail(ModelFormatError.InvalidLayerParameter, i, $"stride must be 1 or 2, found {conv.Stride}");
        }
        CheckEnum(i, "padding", (int)conv.Padding, 1);
        CheckEnum(i, "activation", (int)conv.Activation, 1);
        int k = conv.KernelSize, pad = conv.Pad;
        if (input.Height + (2 * pad) < k || input.Width + (2 * pad) < k)
        {
            throw Fail(ModelFormatError.ShapeMismatch, i, $"a {k}x{k} convolution with padding {pad} needs at least {k - (2 * pad)} pixels a side, input is {input}");
        }
        var shape = new TensorShape(((input.Height + (2 * pad) - k) / conv.Stride) + 1, ((input.Width + (2 * pad) - k) / conv.Stride) + 1, conv.Filters);
        long kernelVolume = (long)k * k * input.Channels;
        parameters = (kernelVolume * conv.Filters) + conv.Filters;
        macs = shape.Size * kernelVolume;
        tensors.Add(new TensorRequirement(i, TensorRole.Weights, [k, k, input.Channels, conv.Filters]));
        tensors.Add(new TensorRequirement(i, TensorRole.Bias, [conv.Filters]));
        return shape;
    }

    private TensorShape Residual(int i, AddLayer add, TensorShape input)
    {
        CheckEnum(i, "activation", (int)add.Activation, 1);
        TensorShape other = BranchSource(i, add.Source);
        if (other != input)
        {
            throw Fail(ModelFormatError.ShapeMismatch, i,
                $"Add sums two equal shapes: the previous layer gives {input}, layer {add.Source} gives {other}");
        }
        return input;
    }

    /// <summary>The output shape of the earlier layer <paramref name="source"/> that layer <paramref name="i"/> reads.</summary>
    private TensorShape BranchSource(int i, int source)
    {
        if (source < 1 || source > i - 2)
        {
            throw Fail(ModelFormatError.InvalidLayerParameter, i,
                $"{_layers[i].Kind} reads an earlier layer 1..{i - 2} (not the previous one), found source {source}");
        }
        return _infos[source].OutputShape;
    }
}
