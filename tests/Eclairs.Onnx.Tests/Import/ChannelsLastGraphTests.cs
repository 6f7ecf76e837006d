using System;
using System.Collections.Generic;
using Eclairs.Onboard.Inference;
using Eclairs.Onnx.Protobuf;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Xunit;

namespace Eclairs.Onnx.Tests;

/// <summary>
/// Graphs in the style tf2onnx writes for a Keras model: one channels-last input [1, H, W, 2], a Transpose to NCHW
/// before the convolutions, a Transpose back to NHWC before the Reshape to [1, −1] (Keras' (h, w, c) flatten) or a
/// ReduceMean over the NHWC spatial axes, and MatMul + Add dense layers. ONNX Runtime runs the graph as the reference;
/// the imported model must agree within 1e-4.
/// </summary>
public class ChannelsLastGraphTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_tf2onnx_style_graph_imports_and_matches_onnx_runtime(bool globalMean)
    {
        var random = new Random(61);
        var b = new GraphBuilder("tf2onnx-style");
        b.Graph.Input.Add(GraphBuilder.FloatTensor("input", 1, 24, 20, 2));
        string x = b.Node("Transpose", "to_nchw", ["input"], null, GraphBuilder.Ints("perm", 0, 3, 1, 2));
        x = b.Node("Conv", "conv1", [x, b.Floats("w1", Uniform(random, 8 * 2 * 9, 0.5), 8, 2, 3, 3), b.Floats("b1", Uniform(random, 8, 0.1), 8)], null,
            GraphBuilder.Ints("kernel_shape", 3, 3), GraphBuilder.Ints("pads", 1, 1, 1, 1));
        x = b.Node("Relu", "relu1", [x]);
        x = b.Node("MaxPool", "pool1", [x], null, GraphBuilder.Ints("kernel_shape", 2, 2), GraphBuilder.Ints("strides", 2, 2));
        x = b.Node("Conv", "conv2", [x, b.Floats("w2", Uniform(random, 6 * 8 * 25, 0.2), 6, 8, 5, 5), b.Floats("b2", Uniform(random, 6, 0.1), 6)], null,
            GraphBuilder.Ints("kernel_shape", 5, 5), GraphBuilder.String("auto_pad", "VALID"));
        x = b.Node("Relu", "relu2", [x]);
        x = b.Node("Transpose", "to_nhwc", [x], null, GraphBuilder.Ints("perm", 0, 2, 3, 1));
        int features;
        if (globalMean)
        {
            x = b.Node("ReduceMean", "mean", [x], null, GraphBuilder.Ints("axes", 1, 2), GraphBuilder.Int("keepdims", 0));
            features = 6;
        }
        else
        {
            x = b.Node("Reshape", "flatten", [x, b.Int64s("shape", -1, 8 * 6 * 6)]);
            features = 8 * 6 * 6;
        }
        x = b.Node("MatMul", "dense1", [x, b.Floats("w3", Uniform(random, features * 5, 0.3), features, 5)]);
        x = b.Node("Add", "dense1/bias", [x, b.Floats("b3", Uniform(random, 5, 0.1), 5)]);
        x = b.Node("Relu", "relu3", [x]);
        x = b.Node("MatMul", "dense2", [x, b.Floats("w4", Uniform(random, 5, 0.5), 5, 1)]);
        x = b.Node("Add", "dense2/bias", [x, b.Floats("b4", [0.05f], 1)]);
        b.Node("Sigmoid", "output", [x], "probability");
        b.Graph.Output.Add(GraphBuilder.FloatTensor("probability", 1, 1));
        var model = new ModelProto { IrVersion = 8, Graph = b.Graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = 13 });
        byte[] onnx = model.ToByteArray();

        OnnxImportResult imported = OnnxImporter.Import(onnx);

        Assert.Contains(imported.Document.Network.Layers, l => l.Kind == (globalMean ? LayerKind.GlobalAveragePool : LayerKind.Flatten));
        InferenceContext engine = Model.FromDocument(imported.Document).CreateContext();
        using var options = new SessionOptions { IntraOpNumThreads = 1 };
        using var session = new InferenceSession(onnx, options);
        double spread = 0, first = double.NaN;
        for (int n = 0; n < 6; n++)
        {
            (float[] snr, byte[] mask) = Alert(random, 24 * 20);
            var nhwc = new float[24 * 20 * 2];
            for (int i = 0; i < snr.Length; i++)
            {
                nhwc[2 * i] = mask[i] == 0 ? 0 : snr[i];
                nhwc[(2 * i) + 1] = mask[i];
            }
            using var input = OrtValue.CreateTensorValueFromMemory(nhwc, [1, 24, 20, 2]);
            using var runOptions = new RunOptions();
            using IDisposableReadOnlyCollection<OrtValue> result = session.Run(runOptions, new Dictionary<string, OrtValue> { ["input"] = input }, session.OutputNames);
            float expected = result[0].GetTensorDataAsSpan<float>()[0];
            float actual = engine.Classify(snr, mask).Probability;
            Assert.True(Math.Abs(actual - expected) <= 1e-4, $"alert {n}: engine {actual:R}, ONNX Runtime {expected:R}");
            first = double.IsNaN(first) ? expected : first;
            spread = Math.Max(spread, Math.Abs(expected - first));
        }
        Assert.True(spread > 1e-3, "the probabilities hardly differ: the comparison would say little");
    }

    private static float[] Uniform(Random random, int count, double limit)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = (float)(((random.NextDouble() * 2) - 1) * limit);
        }
        return values;
    }

    private static (float[] Snr, byte[] Mask) Alert(Random random, int pixels)
    {
        var snr = new float[pixels];
        var mask = new byte[pixels];
        for (int i = 0; i < pixels; i++)
        {
            mask[i] = (byte)random.Next(4);
            snr[i] = mask[i] == 0 ? float.NaN : (float)((random.NextDouble() * 8) - 2);
        }
        return (snr, mask);
    }
}
