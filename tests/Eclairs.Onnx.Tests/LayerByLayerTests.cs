using System;
using Eclairs.Onboard.Inference;
using Xunit;

namespace Eclairs.Onnx.Tests;

/// <summary>
/// Each prefix of a network, exported, gives the engine's activation element by element (the output of a prefix is
/// in the engine's NHWC order), so a wrong transpose or padding shows at the layer that has it.
/// </summary>
public class LayerByLayerTests
{
    [Theory]
    [InlineData("CnnV1")]
    [InlineData("CompactV1")]
    public void Every_prefix_matches_the_engine_element_by_element(string name)
    {
        NetworkDescription network = name == "CnnV1" ? Architectures.CnnV1() : Architectures.CompactV1();
        ModelDocument full = TestModels.Random(network, seed: 21);
        (float[] snr, byte[] mask) = TestModels.Alert(56, 22, 5);
        for (int count = 2; count < network.LayerCount; count++)
        {
            ModelDocument prefix = full.Prefix(count);
            InferenceContext engine = Model.FromDocument(prefix, new ModelOptions { KernelPath = KernelPath.Scalar }).CreateContext();
            var expected = new float[engine.OutputLength];
            engine.Evaluate(snr, mask, expected);
            using var runtime = new OrtRunner(OnnxExporter.Export(prefix), 56, 56);
            float[] actual = runtime.Run(snr, mask)[OnnxExporter.PlainOutput];

            Assert.Equal(expected.Length, actual.Length);
            double largest = 1;
            foreach (float v in expected)
            {
                largest = Math.Max(largest, Math.Abs(v));
            }
            for (int i = 0; i < expected.Length; i++)
            {
                Assert.True(Math.Abs(actual[i] - expected[i]) <= 1e-5 * largest,
                    $"{count} layers ({network.Layers[count - 1].Kind}): element {i} is {actual[i]:R} in ONNX Runtime, {expected[i]:R} in the engine");
            }
        }
    }
}
