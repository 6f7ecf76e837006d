using System;
using Eclairs.Onboard.Inference;
using static Eclairs.Onnx.GraphBuilder;

namespace Eclairs.Onnx;

/// <summary>ONNX nodes of the residual-network layers: Conv with strides (1x1 to 7x7), and Add of two earlier values.</summary>
internal static class BranchGraph
{
    public static Value Convolution(GraphBuilder builder, float[] hwio, float[] bias, LayerInfo layer, GeneralConv2DLayer conv, Value input)
    {
        int k = conv.KernelSize, cin = layer.InputShape.Channels, cout = conv.Filters;
        string name = NetworkGraph.Name(layer);
        string weights = builder.Floats(name + ".weights", KernelLayout.HwioToOihw<float>(hwio, k, cin, cout), cout, cin, k, k);
        string b = builder.Floats(name + ".bias", bias, cout);
        long pad = conv.Pad;
        string output = builder.Node("Conv", name, [input.Name, weights, b], null,
            Ints("kernel_shape", k, k), Ints("strides", conv.Stride, conv.Stride), Ints("dilations", 1, 1), Ints("pads", pad, pad, pad, pad), Int("group", 1));
        return new Value(NetworkGraph.Activate(builder, layer, conv.Activation, output), IsImage: true);
    }

    /// <summary>The previous value plus the kept one; both are images or both vectors wherever the engine has equal shapes.</summary>
    public static Value Add(GraphBuilder builder, LayerInfo layer, AddLayer add, Value previous, Value other)
    {
        if (previous.IsImage != other.IsImage)
        {
            throw new NotSupportedException($"layer {layer.Index}: Add of an image and a vector has no ONNX translation here");
        }
        string output = builder.Node("Add", NetworkGraph.Name(layer), [previous.Name, other.Name]);
        return new Value(NetworkGraph.Activate(builder, layer, add.Activation, output), previous.IsImage);
    }
}
