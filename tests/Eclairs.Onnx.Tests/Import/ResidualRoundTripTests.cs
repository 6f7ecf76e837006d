using System;
using System.Collections.Generic;
using Eclairs.Onboard.Inference;
using Xunit;

namespace Eclairs.Onnx.Tests;

/// <summary>
/// A residual network (identity block, strided block with a 1x1 shortcut, average pooling, a 1x1 and a 7x7 conv, an
/// Add on vectors) exported with <c>export-onnx</c>: ONNX Runtime runs the graph within 1e-4 of the engine (an
/// independent check of the layers' stride, padding and pooling semantics), and the import gives the same layers
/// and bit-identical logits.
/// </summary>
public class ResidualRoundTripTests
{
    private static NetworkDescription Network() => new(
    [
        new InputLayer(23, 19), new ConcatenateLayer(),
        new Conv2DLayer(8, 3, Padding.Same, Activation.Relu),                 // 2
        new Conv2DLayer(8, 3, Padding.Same, Activation.Relu),                 // 3
        new Conv2DLayer(8, 3, Padding.Same, Activation.None),                 // 4
        new AddLayer(2, Activation.Relu),                                     // 5
        new GeneralConv2DLayer(12, 3, 2, Padding.Same, Activation.Relu),      // 6
        new Conv2DLayer(12, 3, Padding.Same, Activation.None),                // 7
        new BranchLayer(5),                                                   // 8
        new GeneralConv2DLayer(12, 1, 2, Padding.Valid, Activation.None),     // 9
        new AddLayer(7, Activation.Relu),                                     // 10
        new AveragePool2DLayer(),                                             // 11
        new GeneralConv2DLayer(10, 7, 1, Padding.Same, Activation.Relu),      // 12
        new GeneralConv2DLayer(9, 5, 2, Padding.Valid, Activation.Relu),      // 13: 6x5 -> 1x1
        new DenseLayer(6, Activation.Relu),                                   // 14: a 1x1 image is a vector
        new DenseLayer(6, Activation.None),                                   // 15
        new AddLayer(14, Activation.Relu),                                    // 16
        new DenseLayer(1, Activation.None), new SigmoidLayer(),
    ]);

    [Fact]
    public void Onnx_runtime_agrees_and_the_import_gives_the_same_layers_and_logits()
    {
        ModelDocument document = TestModels.Random(Network(), 77);
        byte[] onnx = OnnxExporter.Export(document);
        ModelDocument imported = OnnxImporter.Import(onnx).Document;
        Assert.Equal(document.Network.Layers, imported.Network.Layers);

        using var runtime = new OrtRunner(onnx, 23, 19);
        InferenceContext engine = Model.FromDocument(document).CreateContext();
        InferenceContext back = Model.FromDocument(imported).CreateContext();
        double largest = 0;
        for (int seed = 0; seed < 6; seed++)
        {
            (float[] snr, byte[] mask) = Alert(seed);
            ClassificationResult expected = engine.Classify(snr, mask);
            Assert.Equal(expected, back.Classify(snr, mask));
            float logit = Assert.Single(runtime.Run(snr, mask)[OnnxExporter.LogitOutput]);
            Assert.True(Math.Abs(logit - expected.Logit) <= 1e-4 * Math.Max(1, Math.Abs(expected.Logit)),
                $"alert {seed}: ONNX Runtime {logit:R}, engine {expected.Logit:R}");
            largest = Math.Max(largest, Math.Abs(expected.Logit));
        }
        Assert.True(largest > 1e-3, $"every logit is ~0 (largest {largest})");
    }

    private static (float[] Snr, byte[] Mask) Alert(int seed)
    {
        var random = new Random(seed);
        var snr = new float[23 * 19];
        var mask = new byte[snr.Length];
        for (int i = 0; i < snr.Length; i++)
        {
            mask[i] = (byte)(random.Next(8) == 0 ? 0 : 1 + random.Next(3));
            snr[i] = mask[i] == 0 ? float.NaN : (float)((random.NextDouble() * 8) - 3);
        }
        return (snr, mask);
    }
}
