using System;
using System.Linq;
using Eclairs.Onboard.Inference;
using Eclairs.Onnx.Protobuf;
using Google.Protobuf;
using Xunit;

namespace Eclairs.Onnx.Tests;

/// <summary>
/// Graphs the engine cannot run exactly are refused before anything is written, with the op type, the node's name
/// and position, and what would be needed. Each case changes one thing in an exported graph that imports.
/// </summary>
public class ImportRefusalTests
{
    [Fact]
    public void A_stride_3_convolution_is_refused_and_stride_2_imports()
    {
        ModelProto model = Exported();
        NodeProto conv = model.Graph.Node.First(n => n.OpType == "Conv");
        RepeatedStrides(conv, 3);

        OnnxImportException e = Refused(model);

        AssertNames(e, model, conv);
        Assert.Contains("strides [3, 3]", e.Problem, StringComparison.Ordinal);
        Assert.Contains("stride 1 or 2", e.Needed, StringComparison.Ordinal);
        Assert.StartsWith($"node {e.NodeIndex} '{conv.Name}' (Conv): ", e.Message, StringComparison.Ordinal);
        Assert.Contains("; would need ", e.Message, StringComparison.Ordinal);

        RepeatedStrides(conv, 2);
        NodeProto pool = model.Graph.Node.First(n => n.OpType == "MaxPool");
        pool.OpType = "AveragePool";
        LayerSpec[] layers = [.. OnnxImporter.Import(model.ToByteArray()).Document.Network.Layers];
        Assert.Equal(new GeneralConv2DLayer(16, 3, 2, Padding.Same, Activation.Relu), layers[2]);
        Assert.IsType<AveragePool2DLayer>(layers[3]);
    }

    [Fact]
    public void A_1x1_convolution_imports_as_a_general_convolution()
    {
        ModelProto model = Exported();
        NodeProto conv = model.Graph.Node.First(n => n.OpType == "Conv");
        TensorProto weights = model.Graph.Initializer.Single(t => t.Name == conv.Input[1]);
        long cout = weights.Dims[0], cin = weights.Dims[1];
        weights.Dims[2] = 1;
        weights.Dims[3] = 1;
        weights.RawData = ByteString.CopyFrom(new byte[cout * cin * 4]);
        conv.Attribute.Single(a => a.Name == "kernel_shape").Ints.Clear();
        conv.Attribute.Single(a => a.Name == "kernel_shape").Ints.AddRange([1, 1]);
        conv.Attribute.Single(a => a.Name == "pads").Ints.Clear();
        conv.Attribute.Single(a => a.Name == "pads").Ints.AddRange([0, 0, 0, 0]);

        LayerSpec first = OnnxImporter.Import(model.ToByteArray()).Document.Network.Layers[2];

        Assert.Equal(new GeneralConv2DLayer((int)cout, 1, 1, Padding.Valid, Activation.Relu), first);
    }

    [Fact]
    public void An_add_of_an_activation_to_itself_or_a_sub_of_two_is_refused()
    {
        ModelProto model = Exported();
        NodeProto relu = model.Graph.Node.First(n => n.OpType == "Relu");
        int at = model.Graph.Node.IndexOf(relu) + 1;
        var add = new NodeProto { OpType = "Add", Name = "skip" };
        add.Input.AddRange([relu.Output[0], relu.Output[0]]);
        add.Output.Add("skipped");
        model.Graph.Node.Insert(at, add);
        model.Graph.Node[at + 1].Input[0] = "skipped";

        OnnxImportException e = Refused(model);

        Assert.Equal(("Add", "skip", at), (e.OpType, e.NodeName, e.NodeIndex));
        Assert.Contains("to itself", e.Problem, StringComparison.Ordinal);

        add.OpType = "Sub";
        e = Refused(model);
        Assert.Contains("Sub of two activations", e.Problem, StringComparison.Ordinal);
    }

    private static void RepeatedStrides(NodeProto conv, long stride)
    {
        conv.Attribute.Single(a => a.Name == "strides").Ints[0] = stride;
        conv.Attribute.Single(a => a.Name == "strides").Ints[1] = stride;
    }

    [Fact]
    public void An_operator_without_translation_is_named_with_a_hint()
    {
        ModelProto model = Exported();
        NodeProto relu = model.Graph.Node.First(n => n.OpType == "Relu");
        relu.OpType = "LeakyRelu";

        OnnxImportException e = Refused(model);

        AssertNames(e, model, relu);
        Assert.Contains("LeakyReLU activation in the engine", e.Needed, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_attribute_is_refused_not_ignored()
    {
        ModelProto model = Exported();
        NodeProto conv = model.Graph.Node.First(n => n.OpType == "Conv");
        conv.Attribute.Add(new AttributeProto { Name = "future_option", Type = AttributeProto.Types.AttributeType.Int, I = 1 });

        Assert.Contains("'future_option'", Refused(model).Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void An_opset_outside_the_supported_range_is_refused()
    {
        ModelProto model = Exported();
        model.OpsetImport[0].Version = 18;

        OnnxImportException e = Refused(model);

        Assert.Null(e.OpType);
        Assert.Contains("opset 18", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_intermediate_output_is_refused()
    {
        ModelProto model = Exported();
        NodeProto pool = model.Graph.Node.First(n => n.OpType == "MaxPool");
        model.Graph.Output.Add(new ValueInfoProto { Name = pool.Output[0] });

        Assert.Contains("not of the last layer", Refused(model).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_mask_before_the_SNR_is_refused()
    {
        ModelProto model = Exported();
        NodeProto concat = model.Graph.Node.First(n => n.OpType == "Concat");
        (concat.Input[0], concat.Input[1]) = (concat.Input[1], concat.Input[0]);

        OnnxImportException e = Refused(model);

        AssertNames(e, model, concat);
        Assert.Contains("SNR as channel 0", e.Needed, StringComparison.Ordinal);
    }

    [Fact]
    public void Inputs_with_other_names_need_to_be_named()
    {
        ModelProto model = Exported();
        Rename(model, "snr", "image");
        Rename(model, "mask", "quality");

        OnnxImportException e = Refused(model);
        Assert.Contains("'image', 'quality'", e.Message, StringComparison.Ordinal);
        Assert.Contains("--snr-input", e.Needed, StringComparison.Ordinal);

        ModelDocument imported = OnnxImporter.Import(model.ToByteArray(), new OnnxImportOptions { SnrInput = "image", MaskInput = "quality" }).Document;
        ExportImportRoundTripTests.AssertIdenticalLogits(TestModels.Random(Architectures.CompactV1(), 51), imported, 56, 56);
    }

    [Fact]
    public void Bytes_that_are_not_a_model_are_refused()
    {
        Assert.Contains("not an ONNX model", Assert.Throws<OnnxImportException>(() => OnnxImporter.Import("not a model"u8)).Message, StringComparison.Ordinal);
        Assert.Contains("no graph", Assert.Throws<OnnxImportException>(() => OnnxImporter.Import([])).Message, StringComparison.Ordinal);
    }

    private static ModelProto Exported() => OnnxExporter.BuildModel(TestModels.Random(Architectures.CompactV1(), 51));

    private static OnnxImportException Refused(ModelProto model) =>
        Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(model.ToByteArray()));

    private static void AssertNames(OnnxImportException e, ModelProto model, NodeProto node)
    {
        Assert.Equal(node.OpType, e.OpType);
        Assert.Equal(node.Name, e.NodeName);
        Assert.Equal(model.Graph.Node.IndexOf(node), e.NodeIndex);
        Assert.NotNull(e.Needed);
    }

    private static void Rename(ModelProto model, string from, string to)
    {
        model.Graph.Input.Single(i => i.Name == from).Name = to;
        foreach (NodeProto n in model.Graph.Node)
        {
            for (int i = 0; i < n.Input.Count; i++)
            {
                n.Input[i] = n.Input[i] == from ? to : n.Input[i];
            }
        }
    }
}
