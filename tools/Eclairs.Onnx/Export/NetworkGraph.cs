using System;
using System.Collections.Generic;
using System.Linq;
using Eclairs.Onboard.Inference;
using Eclairs.Onnx.Protobuf;
using static Eclairs.Onnx.GraphBuilder;

namespace Eclairs.Onnx;

/// <summary>
/// Translates a layer chain into ONNX nodes. The engine keeps activations NHWC and flattens in (h, w, c) order; ONNX
/// convolutions are NCHW, so weights are transposed HWIO to OIHW at export and a Transpose to NHWC precedes every
/// Flatten of an image, which keeps the dense weights exactly as stored.
/// </summary>
internal static class NetworkGraph
{
    public static GraphProto Build(ModelDocument document)
    {
        NetworkDescription network = document.Network;
        var builder = new GraphBuilder(string.IsNullOrEmpty(document.Name) ? "eclairs" : document.Name);
        int height = network.InputHeight, width = network.InputWidth;
        builder.Graph.Input.Add(FloatTensor(OnnxExporter.SnrInput, 1, 1, height, width));
        builder.Graph.Input.Add(FloatTensor(OnnxExporter.MaskInput, 1, 1, height, width));

        var value = new Value(string.Empty, IsImage: true);
        IReadOnlyList<LayerInfo> layers = network.LayerInfos;
        var byLayer = new Value[layers.Count];
        foreach (LayerInfo layer in layers)
        {
            byLayer[layer.Index] = value = layer.Spec switch
            {
                InputLayer or DropoutLayer or SigmoidLayer => value,
                ConcatenateLayer => new Value(InputGraph.Build(builder, document.Normalization), IsImage: true),
                Conv2DLayer conv => Convolution(builder, document, layer, conv, AsImage(builder, value, layer)),
                MaxPool2DLayer => new Value(builder.Node("MaxPool", Name(layer), [AsImage(builder, value, layer).Name], null,
                    Ints("kernel_shape", 2, 2), Ints("strides", 2, 2)), IsImage: true),
                GlobalAveragePoolLayer => new Value(
                    builder.Node("GlobalAveragePool", Name(layer), [AsImage(builder, value, layer).Name]), IsImage: true),
                FlattenLayer => AsVector(builder, value, layer),
                DenseLayer dense => FullyConnected(builder, document, layer, dense, AsVector(builder, value, layer)),
                GeneralConv2DLayer conv => BranchGraph.Convolution(builder, Parameters(document, layer, TensorRole.Weights),
                    Parameters(document, layer, TensorRole.Bias), layer, conv, AsImage(builder, value, layer)),
                AveragePool2DLayer => new Value(builder.Node("AveragePool", Name(layer), [AsImage(builder, value, layer).Name], null,
                    Ints("kernel_shape", 2, 2), Ints("strides", 2, 2)), IsImage: true),
                AddLayer add => BranchGraph.Add(builder, layer, add, value, byLayer[add.Source]),
                BranchLayer branch => byLayer[branch.Source],
                _ => throw new NotSupportedException($"layer {layer.Index}: {layer.Spec.Kind} has no ONNX translation"),
            };
        }

        LayerInfo last = layers[^1];
        if (network.IsClassifier)
        {
            value = AsVector(builder, value, last);
            Rename(builder, value, OnnxExporter.LogitOutput);
            builder.Node("Sigmoid", "output", [OnnxExporter.LogitOutput], OnnxExporter.ProbabilityOutput);
            builder.Graph.Output.Add(FloatTensor(OnnxExporter.LogitOutput, 1, 1));
            builder.Graph.Output.Add(FloatTensor(OnnxExporter.ProbabilityOutput, 1, 1));
        }
        else
        {
            TensorShape shape = last.OutputShape;
            if (value.IsImage)
            {
                builder.Node("Transpose", "output", [value.Name], OnnxExporter.PlainOutput, Ints("perm", 0, 2, 3, 1));
                builder.Graph.Output.Add(FloatTensor(OnnxExporter.PlainOutput, 1, shape.Height, shape.Width, shape.Channels));
            }
            else
            {
                Rename(builder, value, OnnxExporter.PlainOutput);
                builder.Graph.Output.Add(FloatTensor(OnnxExporter.PlainOutput, 1, shape.Size));
            }
        }
        return builder.Graph;
    }

    private static Value Convolution(GraphBuilder builder, ModelDocument document, LayerInfo layer, Conv2DLayer conv, Value input)
    {
        int k = conv.KernelSize, cin = layer.InputShape.Channels, cout = conv.Filters;
        float[] oihw = KernelLayout.HwioToOihw<float>(Parameters(document, layer, TensorRole.Weights), k, cin, cout);
        string weights = builder.Floats(Name(layer) + ".weights", oihw, cout, cin, k, k);
        string bias = builder.Floats(Name(layer) + ".bias", Parameters(document, layer, TensorRole.Bias), cout);
        long pad = conv.Padding == Padding.Same ? (k - 1) / 2 : 0;
        string output = builder.Node("Conv", Name(layer), [input.Name, weights, bias], null,
            Ints("kernel_shape", k, k), Ints("strides", 1, 1), Ints("dilations", 1, 1), Ints("pads", pad, pad, pad, pad), Int("group", 1));
        return new Value(Activate(builder, layer, conv.Activation, output), IsImage: true);
    }

    private static Value FullyConnected(GraphBuilder builder, ModelDocument document, LayerInfo layer, DenseLayer dense, Value input)
    {
        int inputs = layer.InputShape.Channels;
        string weights = builder.Floats(Name(layer) + ".weights", Parameters(document, layer, TensorRole.Weights), inputs, dense.Units);
        string bias = builder.Floats(Name(layer) + ".bias", Parameters(document, layer, TensorRole.Bias), dense.Units);
        string output = builder.Node("Gemm", Name(layer), [input.Name, weights, bias]);
        return new Value(Activate(builder, layer, dense.Activation, output), IsImage: false);
    }

    internal static string Activate(GraphBuilder builder, LayerInfo layer, Activation activation, string input) =>
        activation == Activation.Relu ? builder.Node("Relu", Name(layer) + "/relu", [input]) : input;

    /// <summary>[1, C, H, W] in ONNX order; a vector [1, N] becomes [1, N, 1, 1], as the engine reads 1 x 1 x N.</summary>
    internal static Value AsImage(GraphBuilder builder, Value value, LayerInfo layer) =>
        value.IsImage ? value : new Value(builder.Node("Reshape", Name(layer) + "/to_image",
            [value.Name, builder.Int64s(Name(layer) + ".image_shape", 1, layer.InputShape.Channels, 1, 1)]), IsImage: true);

    /// <summary>[1, H·W·C] in the engine's (h, w, c) order: transpose to NHWC first unless the image is 1 x 1.</summary>
    internal static Value AsVector(GraphBuilder builder, Value value, LayerInfo layer)
    {
        if (!value.IsImage)
        {
            return value;
        }
        string name = value.Name;
        TensorShape shape = layer.Spec is FlattenLayer or DenseLayer ? layer.InputShape : layer.OutputShape;
        if (shape.Height * shape.Width > 1)
        {
            name = builder.Node("Transpose", Name(layer) + "/to_nhwc", [name], null, Ints("perm", 0, 2, 3, 1));
        }
        return new Value(builder.Node("Flatten", Name(layer) + "/flatten", [name], null, Int("axis", 1)), IsImage: false);
    }

    /// <summary>Gives the value the graph output's name: it is always the output of the last node added.</summary>
    internal static void Rename(GraphBuilder builder, Value value, string name)
    {
        NodeProto producer = builder.Graph.Node[^1];
        if (producer.Output[0] != value.Name)
        {
            throw new InvalidOperationException($"internal: {value.Name} is not the last node's output");
        }
        producer.Output[0] = name;
    }

    private static float[] Parameters(ModelDocument document, LayerInfo layer, TensorRole role) =>
        document.Tensors.First(t => t.LayerIndex == layer.Index && t.Role == role).ToSingles();

    internal static string Name(LayerInfo layer) =>
        $"layer{layer.Index}_{layer.Spec.Kind.ToString().ToLowerInvariant()}";
}

/// <summary>A value of the graph: its name, and whether it is an NCHW image or an [1, N] vector.</summary>
internal readonly record struct Value(string Name, bool IsImage);
