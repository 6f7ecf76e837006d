using System;
using System.Collections.Generic;
using System.Linq;
using Eclairs.Onboard.Inference;
using Xunit;

namespace Eclairs.Onnx.Tests;

/// <summary>
/// Our own export-onnx output imports back to the same network, the same parameters bit for bit, and so the same
/// logits bit for bit (the HWIO → OIHW → HWIO transposes and the Flatten's Transpose are exact).
/// </summary>
public class ExportImportRoundTripTests
{
    public static TheoryData<string> Networks => new() { "CnnV1", "CompactV1", "Valid5x5" };

    [Theory]
    [MemberData(nameof(Networks))]
    public void Export_then_import_gives_the_same_model_and_identical_logits(string name)
    {
        NetworkDescription network = Network(name);
        ModelDocument original = TestModels.Random(network, seed: 41, biasLimit: 0.5f) with
        {
            Name = "round-trip",
            DecisionThreshold = 0.3125f,
            Normalization = new InputNormalization(0.37f, -1.25f),
        };

        OnnxImportResult imported = OnnxImporter.Import(OnnxExporter.Export(original));

        ModelDocument back = imported.Document;
        Assert.Equal(original.Network.Layers.Where(l => l is not DropoutLayer), back.Network.Layers);
        Assert.Equal(original.Name, back.Name);
        Assert.Equal(original.DecisionThreshold, back.DecisionThreshold);
        Assert.Equal(original.Normalization, back.Normalization);
        AssertSameTensors(original, back);
        AssertIdenticalLogits(original, back, network.InputHeight, network.InputWidth);
        Assert.Contains("imported from ONNX", back.Provenance, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("CnnV1")]
    [InlineData("CompactV1")]
    public void Every_prefix_imports_back_to_the_same_activations(string name)
    {
        NetworkDescription network = Network(name);
        ModelDocument full = TestModels.Random(network, seed: 43);
        (float[] snr, byte[] mask) = TestModels.Alert(56, 44, 7);
        for (int count = 3; count < network.LayerCount; count++)
        {
            ModelDocument prefix = full.Prefix(count);
            ModelDocument back = OnnxImporter.Import(OnnxExporter.Export(prefix)).Document;
            // A prefix ending at the single logit reads as a classifier that outputs its logit: the engine adds the Sigmoid.
            IEnumerable<LayerSpec> expectedLayers = prefix.Network.Layers.Where(l => l is not DropoutLayer);
            Assert.Equal(prefix.Network.OutputShape.Size == 1 ? expectedLayers.Append(new SigmoidLayer()) : expectedLayers, back.Network.Layers);
            InferenceContext a = Model.FromDocument(prefix, new ModelOptions { KernelPath = KernelPath.Scalar }).CreateContext();
            InferenceContext b = Model.FromDocument(back, new ModelOptions { KernelPath = KernelPath.Scalar }).CreateContext();
            var expected = new float[a.OutputLength];
            var actual = new float[b.OutputLength];
            a.Evaluate(snr, mask, expected);
            b.Evaluate(snr, mask, actual);
            Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public void A_model_without_normalisation_or_metadata_gets_the_defaults()
    {
        ModelDocument original = TestModels.Random(Architectures.CompactV1(), seed: 45);
        Eclairs.Onnx.Protobuf.ModelProto proto = OnnxExporter.BuildModel(original);
        proto.MetadataProps.Clear();
        proto.Graph.Name = "graph-name";

        ModelDocument back = OnnxImporter.Import(Google.Protobuf.MessageExtensions.ToByteArray(proto)).Document;

        Assert.Equal("graph-name", back.Name);
        Assert.Equal(0.5f, back.DecisionThreshold);
        Assert.Equal(InputNormalization.Identity, back.Normalization);
        AssertIdenticalLogits(original, back, 56, 56);
        ModelDocument named = OnnxImporter.Import(OnnxExporter.Export(original), new OnnxImportOptions { Name = "mine", DecisionThreshold = 0.25f }).Document;
        Assert.Equal(("mine", 0.25f), (named.Name, named.DecisionThreshold));
    }

    internal static void AssertSameTensors(ModelDocument expected, ModelDocument actual)
    {
        IReadOnlyList<TensorRequirement> a = expected.Network.RequiredTensors, b = actual.Network.RequiredTensors;
        Assert.Equal(a.Count, b.Count);
        for (int i = 0; i < a.Count; i++)
        {
            float[] x = Find(expected, a[i]), y = Find(actual, b[i]);
            Assert.Equal(a[i].Shape, b[i].Shape);
            Assert.True(x.AsSpan().SequenceEqual(y), $"tensor {i} ({a[i].Role} of layer {a[i].LayerIndex}) differs");
        }
    }

    internal static void AssertIdenticalLogits(ModelDocument expected, ModelDocument actual, int height, int width)
    {
        InferenceContext a = Model.FromDocument(expected).CreateContext(), b = Model.FromDocument(actual).CreateContext();
        var random = new Random(5);
        for (int n = 0; n < 6; n++)
        {
            var snr = new float[height * width];
            var mask = new byte[snr.Length];
            for (int i = 0; i < snr.Length; i++)
            {
                mask[i] = (byte)random.Next(4);
                snr[i] = mask[i] == 0 ? float.NaN : (float)((random.NextDouble() * 10) - 3);
            }
            Assert.Equal(a.Classify(snr, mask).Logit, b.Classify(snr, mask).Logit);
        }
    }

    private static float[] Find(ModelDocument d, TensorRequirement r) =>
        d.Tensors.Single(t => t.LayerIndex == r.LayerIndex && t.Role == r.Role).ToSingles();

    internal static NetworkDescription Network(string name) => name switch
    {
        "CnnV1" => Architectures.CnnV1(),
        "CompactV1" => Architectures.CompactV1(),
        _ => new NetworkDescription(
        [
            new InputLayer(23, 19),
            new ConcatenateLayer(),
            new Conv2DLayer(6, 5, Padding.Valid, Activation.Relu),
            new MaxPool2DLayer(),
            new Conv2DLayer(5, 3, Padding.Same, Activation.None),
            new MaxPool2DLayer(),
            new FlattenLayer(),
            new DenseLayer(7, Activation.Relu),
            new DenseLayer(1, Activation.None),
            new SigmoidLayer(),
        ]),
    };
}
