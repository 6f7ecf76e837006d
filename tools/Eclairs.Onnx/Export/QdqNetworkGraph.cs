using System;
using System.Collections.Generic;
using Eclairs.Onboard.Inference;
using Eclairs.Onboard.Inference.Quantized;
using Eclairs.Onnx.Protobuf;
using static Eclairs.Onnx.GraphBuilder;

namespace Eclairs.Onnx;

/// <summary>
/// Translates an int8 layer chain into a QDQ graph (the form ONNX Runtime fuses into its integer kernels): every
/// int8 activation is a tensor of codes with a scalar scale and zero point; a Conv2D or Dense reads it through
/// DequantizeLinear, its int8 weights through a per-channel DequantizeLinear (axis 0 of OIHW, axis 1 of a [K, N]
/// dense kernel), its int32 bias through DequantizeLinear at scale input scale x weight scale, and writes its codes
/// with QuantizeLinear at the layer's output scale and zero point. Pooling, Transpose, Flatten and Reshape keep their
/// input's scale and zero point (as in the engine) and sit between a DequantizeLinear and a QuantizeLinear of that pair.
/// The residual layers: GeneralConv2D as Conv with its stride, AveragePool2D as Pooling, Add as DequantizeLinear of
/// both inputs, Add, QuantizeLinear (QLinearAdd in ORT), Branch as a reference to the source layer's codes.
/// </summary>
internal static class QdqNetworkGraph
{
    /// <summary>Name of the int8 output of a classifier: the raw logit code the engine decides on.</summary>
    public const string RawLogitOutput = "raw_logit";

    public static GraphProto Build(ModelDocument document)
    {
        NetworkDescription network = document.Network;
        if (!network.IsClassifier)
        {
            throw new NotSupportedException("int8 ONNX export handles classifiers only (a network ending with Sigmoid), as the int8 engine does");
        }
        Int8Parameters parameters = Int8Parameters.FromDocument(document);
        var byLayer = new Dictionary<int, Int8LayerParameters>();
        foreach (Int8LayerParameters p in parameters.Layers)
        {
            byLayer[p.LayerIndex] = p;
        }

        var builder = new GraphBuilder(string.IsNullOrEmpty(document.Name) ? "eclairs" : document.Name);
        int height = network.InputHeight, width = network.InputWidth;
        builder.Graph.Input.Add(FloatTensor(OnnxExporter.SnrInput, 1, 1, height, width));
        builder.Graph.Input.Add(FloatTensor(OnnxExporter.MaskInput, 1, 1, height, width));

        var adds = new Dictionary<int, Int8AddParameters>();
        foreach (Int8AddParameters a in parameters.Adds)
        {
            adds[a.LayerIndex] = a;
        }
        var outputs = new Codes[network.LayerCount]; // what a later Add or Branch reads
        var value = default(Codes);
        foreach (LayerInfo layer in network.LayerInfos)
        {
            value = layer.Spec switch
            {
                InputLayer or DropoutLayer or SigmoidLayer => value,
                ConcatenateLayer => QuantizedInput(builder, document.Normalization, parameters),
                Conv2DLayer conv => Convolution(builder, layer, conv.KernelSize, 1, conv.Padding == Padding.Same ? (conv.KernelSize - 1) / 2 : 0,
                    conv.Filters, conv.Activation, byLayer[layer.Index], AsImage(builder, value, layer)),
                GeneralConv2DLayer general => Convolution(builder, layer, general.KernelSize, general.Stride, general.Pad, general.Filters,
                    general.Activation, byLayer[layer.Index], AsImage(builder, value, layer)),
                AveragePool2DLayer => SameScale(builder, AsImage(builder, value, layer),
                    x => builder.Node("AveragePool", NetworkGraph.Name(layer), [x], null, Ints("kernel_shape", 2, 2), Ints("strides", 2, 2)),
                    NetworkGraph.Name(layer)),
                BranchLayer branch => outputs[branch.Source],
                AddLayer add => ResidualAdd(builder, layer, add, adds[layer.Index], value, outputs[add.Source]),
                MaxPool2DLayer => SameScale(builder, AsImage(builder, value, layer),
                    x => builder.Node("MaxPool", NetworkGraph.Name(layer), [x], null, Ints("kernel_shape", 2, 2), Ints("strides", 2, 2)),
                    NetworkGraph.Name(layer)),
                GlobalAveragePoolLayer => SameScale(builder, AsImage(builder, value, layer),
                    x => builder.Node("GlobalAveragePool", NetworkGraph.Name(layer), [x]), NetworkGraph.Name(layer)),
                FlattenLayer => AsVector(builder, value, layer),
                DenseLayer dense => FullyConnected(builder, layer, dense, byLayer[layer.Index], AsVector(builder, value, layer)),
                _ => throw new NotSupportedException($"layer {layer.Index}: {layer.Spec.Kind} has no ONNX translation"),
            };
            outputs[layer.Index] = value;
        }

        value = AsVector(builder, value, network.LayerInfos[^1]);
        NetworkGraph.Rename(builder, new Value(value.Name, value.IsImage), RawLogitOutput);
        string logit = builder.Node("DequantizeLinear", "output/dequantize", [RawLogitOutput, value.Scale, value.ZeroPoint],
            OnnxExporter.LogitOutput);
        builder.Node("Sigmoid", "output", [logit], OnnxExporter.ProbabilityOutput);
        builder.Graph.Output.Add(FloatTensor(OnnxExporter.LogitOutput, 1, 1));
        builder.Graph.Output.Add(FloatTensor(OnnxExporter.ProbabilityOutput, 1, 1));
        builder.Graph.Output.Add(Tensor(RawLogitOutput, TensorProto.Types.DataType.Int8, 1, 1));
        return builder.Graph;
    }

    /// <summary>
    /// The float input stage, then QuantizeLinear at scale 1/n: the mask value m becomes the code zp + n·m exactly and
    /// the SNR is rounded to the nearest code (ONNX rounds ties to even, the engine away from zero).
    /// </summary>
    private static Codes QuantizedInput(GraphBuilder builder, InputNormalization normalization, Int8Parameters parameters)
    {
        string input = InputGraph.Build(builder, normalization);
        float scaleValue = 1f / parameters.InputSteps;
        string scale = builder.Floats("input.scale", [scaleValue]);
        string zeroPoint = builder.Int8s("input.zero_point", [(sbyte)parameters.InputZeroPoint]);
        return new Codes(builder.Node("QuantizeLinear", "input/quantize", [input, scale, zeroPoint]), scale, scaleValue, zeroPoint,
            IsImage: true);
    }

    private static Codes Convolution(GraphBuilder builder, LayerInfo layer, int k, int stride, long pad, int cout, Activation activation,
        Int8LayerParameters p, Codes input)
    {
        int cin = layer.InputShape.Channels;
        string name = NetworkGraph.Name(layer);
        string weights = DequantizedWeights(builder, name, KernelLayout.HwioToOihw<sbyte>(p.Weights, k, cin, cout), p.WeightScale,
            axis: 0, cout, cin, k, k);
        string bias = DequantizedBias(builder, name, p, input);
        string output = builder.Node("Conv", name, [Dequantize(builder, name, input), weights, bias], null,
            Ints("kernel_shape", k, k), Ints("strides", stride, stride), Ints("dilations", 1, 1), Ints("pads", pad, pad, pad, pad), Int("group", 1));
        return Requantize(builder, layer, activation, p.OutputScale, p.OutputZeroPoint, output, IsImage: true);
    }

    /// <summary>
    /// The residual Add in QDQ form (ONNX Runtime fuses it into QLinearAdd): both inputs dequantized at their
    /// producers' scales, summed in float, the optional ReLU, quantized at the Add's output scale. The engine
    /// requantizes with TFLM's fixed-point ADD, so the codes may differ by one where the real sum is a near tie.
    /// </summary>
    private static Codes ResidualAdd(GraphBuilder builder, LayerInfo layer, AddLayer add, Int8AddParameters p, Codes input, Codes other)
    {
        string name = NetworkGraph.Name(layer);
        other = input.IsImage ? AsImage(builder, other, layer) : AsVector(builder, other, layer);
        string sum = builder.Node("Add", name, [Dequantize(builder, name + "/input", input), Dequantize(builder, name + "/source", other)]);
        return Requantize(builder, layer, add.Activation, p.OutputScale, p.OutputZeroPoint, sum, input.IsImage);
    }

    private static Codes FullyConnected(GraphBuilder builder, LayerInfo layer, DenseLayer dense, Int8LayerParameters p, Codes input)
    {
        string name = NetworkGraph.Name(layer);
        string weights = DequantizedWeights(builder, name, p.Weights, p.WeightScale, axis: 1, layer.InputShape.Channels, dense.Units);
        string bias = DequantizedBias(builder, name, p, input);
        string output = builder.Node("Gemm", name, [Dequantize(builder, name, input), weights, bias], null,
            Float("alpha", 1f), Float("beta", 1f), Int("transA", 0), Int("transB", 0));
        return Requantize(builder, layer, dense.Activation, p.OutputScale, p.OutputZeroPoint, output, IsImage: false);
    }

    /// <summary>
    /// An operator that keeps its input's scale and zero point (pooling, transpose, flatten, reshape), written in the
    /// canonical QDQ form, DequantizeLinear, the float operator, QuantizeLinear with the same pair: ONNX Runtime's QDQ
    /// rules recognise exactly that (and its int8 to uint8 rewrite needs every QuantizeLinear to meet a
    /// DequantizeLinear), so it runs MaxPool on the codes and drops the pair around Transpose and Flatten.
    /// </summary>
    private static Codes SameScale(GraphBuilder builder, Codes input, Func<string, string> op, string name)
    {
        string result = op(Dequantize(builder, name, input));
        return input with { Name = builder.Node("QuantizeLinear", name + "/quantize", [result, input.Scale, input.ZeroPoint]) };
    }

    /// <summary>
    /// QuantizeLinear at the layer's output parameters. The engine's fused ReLU clamps the codes at the output zero
    /// point; when that zero point is -128 the clamp is QuantizeLinear's own saturation (real 0 is code -128, every
    /// negative value lands there) and the Relu node is left out, else it is written before QuantizeLinear.
    /// </summary>
    private static Codes Requantize(GraphBuilder builder, LayerInfo layer, Activation activation, float outputScale, int outputZeroPoint, string output,
        bool IsImage)
    {
        string name = NetworkGraph.Name(layer);
        if (activation == Activation.Relu && outputZeroPoint != sbyte.MinValue)
        {
            output = builder.Node("Relu", name + "/relu", [output]);
        }
        string scale = builder.Floats(name + ".output_scale", [outputScale]);
        string zeroPoint = builder.Int8s(name + ".output_zero_point", [(sbyte)outputZeroPoint]);
        return new Codes(builder.Node("QuantizeLinear", name + "/quantize", [output, scale, zeroPoint]), scale, outputScale, zeroPoint,
            IsImage);
    }

    private static string Dequantize(GraphBuilder builder, string name, Codes input) =>
        builder.Node("DequantizeLinear", name + "/dequantize", [input.Name, input.Scale, input.ZeroPoint]);

    private static string DequantizedWeights(GraphBuilder builder, string name, ReadOnlySpan<sbyte> weights, float[] scales, long axis,
        params long[] dims)
    {
        string codes = builder.Int8s(name + ".weights", weights, dims);
        string scale = builder.Floats(name + ".weight_scale", scales, scales.Length);
        string zeroPoint = builder.Int8s(name + ".weight_zero_point", new sbyte[scales.Length], scales.Length);
        return builder.Node("DequantizeLinear", name + "/weights", [codes, scale, zeroPoint], null, Int("axis", axis));
    }

    /// <summary>int32 bias codes at scale input scale x weight scale[c], zero point 0 (the scale ORT's integer kernels assume).</summary>
    private static string DequantizedBias(GraphBuilder builder, string name, Int8LayerParameters p, Codes input)
    {
        var scales = new float[p.Bias.Length];
        for (int c = 0; c < scales.Length; c++)
        {
            scales[c] = input.ScaleValue * p.WeightScale[c];
        }
        string codes = builder.Int32s(name + ".bias", p.Bias, p.Bias.Length);
        string scale = builder.Floats(name + ".bias_scale", scales, scales.Length);
        string zeroPoint = builder.Int32s(name + ".bias_zero_point", new int[scales.Length], scales.Length);
        return builder.Node("DequantizeLinear", name + "/bias", [codes, scale, zeroPoint], null, Int("axis", 0));
    }

    private static Codes AsImage(GraphBuilder builder, Codes value, LayerInfo layer) => value.IsImage
        ? value
        : SameScale(builder, value, x => NetworkGraph.AsImage(builder, new Value(x, false), layer).Name, NetworkGraph.Name(layer) + "/image")
            with { IsImage = true };

    private static Codes AsVector(GraphBuilder builder, Codes value, LayerInfo layer) => !value.IsImage
        ? value
        : SameScale(builder, value, x => NetworkGraph.AsVector(builder, new Value(x, true), layer).Name, NetworkGraph.Name(layer) + "/vector")
            with { IsImage = false };

    /// <summary>An int8 activation: the tensor of codes, its scalar scale (name and value) and zero point.</summary>
    private readonly record struct Codes(string Name, string Scale, float ScaleValue, string ZeroPoint, bool IsImage);
}
