using System;
using System.Globalization;

namespace Eclairs.Onboard.Inference;

/// <summary>Layer records of the file: a kind code and four 32-bit arguments (unused ones are 0).</summary>
internal static class LayerCodec
{
    public static (uint Kind, uint A0, uint A1, uint A2, uint A3) Encode(LayerSpec spec) => spec switch
    {
        InputLayer l => ((uint)LayerKind.Input, (uint)l.Height, (uint)l.Width, 0, 0),
        ConcatenateLayer => ((uint)LayerKind.Concatenate, 0, 0, 0, 0),
        Conv2DLayer l => ((uint)LayerKind.Conv2D, (uint)l.Filters, (uint)l.KernelSize, (uint)l.Padding, (uint)l.Activation),
        MaxPool2DLayer => ((uint)LayerKind.MaxPool2D, 2, 2, 0, 0),
        GlobalAveragePoolLayer => ((uint)LayerKind.GlobalAveragePool, 0, 0, 0, 0),
        FlattenLayer => ((uint)LayerKind.Flatten, 0, 0, 0, 0),
        DenseLayer l => ((uint)LayerKind.Dense, (uint)l.Units, (uint)l.Activation, 0, 0),
        DropoutLayer l => ((uint)LayerKind.Dropout, BitConverter.SingleToUInt32Bits(l.Rate), 0, 0, 0),
        SigmoidLayer => ((uint)LayerKind.Sigmoid, 0, 0, 0, 0),
        AveragePool2DLayer => ((uint)LayerKind.AveragePool2D, 2, 2, 0, 0),
        AddLayer l => ((uint)LayerKind.Add, (uint)l.Source, (uint)l.Activation, 0, 0),
        BranchLayer l => ((uint)LayerKind.Branch, (uint)l.Source, 0, 0, 0),
        GeneralConv2DLayer l => ((uint)LayerKind.GeneralConv2D, (uint)l.Filters, (uint)l.KernelSize,
            (uint)l.Padding | ((uint)l.Stride << 8), (uint)l.Activation),
        _ => throw new ArgumentException($"layer type {spec.GetType().Name} has no file encoding", nameof(spec)),
    };

    public static LayerSpec Decode(int index, uint kind, uint a0, uint a1, uint a2, uint a3)
    {
        switch ((LayerKind)kind)
        {
            case LayerKind.Input:
                Unused(index, a2, a3);
                return new InputLayer(ToInt(index, a0), ToInt(index, a1));
            case LayerKind.Concatenate:
                Unused(index, a0, a1, a2, a3);
                return new ConcatenateLayer();
            case LayerKind.Conv2D:
                return new Conv2DLayer(ToInt(index, a0), ToInt(index, a1), (Padding)ToInt(index, a2), (Activation)ToInt(index, a3));
            case LayerKind.MaxPool2D:
                if (a0 != 2 || a1 != 2)
                {
                    throw Invalid(index, $"max pooling is 2x2 stride 2 only, found size {a0} stride {a1}");
                }
                Unused(index, a2, a3);
                return new MaxPool2DLayer();
            case LayerKind.GlobalAveragePool:
                Unused(index, a0, a1, a2, a3);
                return new GlobalAveragePoolLayer();
            case LayerKind.Flatten:
                Unused(index, a0, a1, a2, a3);
                return new FlattenLayer();
            case LayerKind.Dense:
                Unused(index, a2, a3);
                return new DenseLayer(ToInt(index, a0), (Activation)ToInt(index, a1));
            case LayerKind.Dropout:
                Unused(index, a1, a2, a3);
                return new DropoutLayer(BitConverter.UInt32BitsToSingle(a0));
            case LayerKind.Sigmoid:
                Unused(index, a0, a1, a2, a3);
                return new SigmoidLayer();
            case LayerKind.AveragePool2D:
                if (a0 != 2 || a1 != 2)
                {
                    throw Invalid(index, $"average pooling is 2x2 stride 2 only, found size {a0} stride {a1}");
                }
                Unused(index, a2, a3);
                return new AveragePool2DLayer();
            case LayerKind.Add:
                Unused(index, a2, a3);
                return new AddLayer(ToInt(index, a0), (Activation)ToInt(index, a1));
            case LayerKind.Branch:
                Unused(index, a1, a2, a3);
                return new BranchLayer(ToInt(index, a0));
            case LayerKind.GeneralConv2D:
                return new GeneralConv2DLayer(ToInt(index, a0), ToInt(index, a1), ToInt(index, a2 >> 8), (Padding)(a2 & 0xFF), (Activation)ToInt(index, a3));
            default:
                throw new ModelFormatException(ModelFormatError.UnknownLayer,
                    string.Create(CultureInfo.InvariantCulture, $"layer {index}: unknown layer kind code {kind}"));
        }
    }

    private static int ToInt(int index, uint value) =>
        value <= int.MaxValue ? (int)value : throw Invalid(index, $"argument {value} out of range");

    private static void Unused(int index, params ReadOnlySpan<uint> arguments)
    {
        foreach (uint a in arguments)
        {
            if (a != 0)
            {
                throw Invalid(index, "an unused layer argument is not 0");
            }
        }
    }

    private static ModelFormatException Invalid(int index, string message) =>
        new(ModelFormatError.InvalidLayerParameter, string.Create(CultureInfo.InvariantCulture, $"layer {index}: {message}"));
}
