using System;
using System.Linq;
using Eclairs.Onboard.Inference;
using Eclairs.Onnx.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Xunit;

namespace Eclairs.Onnx.Tests;

/// <summary>What the file declares: IR version, opset, inputs and outputs, per the ONNX spec and as ORT reads them.</summary>
public class OnnxFileTests
{
    [Fact]
    public void File_starts_with_the_ir_version_field_as_the_spec_numbers_it()
    {
        byte[] file = OnnxExporter.Export(TestModels.Random(Architectures.CompactV1(), 1));
        // ModelProto field 1 (ir_version), wire type 0 (varint): tag byte 0x08, then the value 8.
        Assert.Equal(0x08, file[0]);
        Assert.Equal(0x08, file[1]);
        ModelProto model = ModelProto.Parser.ParseFrom(file);
        Assert.Equal(OnnxExporter.IrVersion, model.IrVersion);
        OperatorSetIdProto opset = Assert.Single(model.OpsetImport);
        Assert.Equal(string.Empty, opset.Domain);
        Assert.Equal(17, opset.Version);
    }

    [Fact]
    public void Onnx_runtime_sees_the_declared_inputs_and_outputs()
    {
        byte[] file = OnnxExporter.Export(TestModels.Random(Architectures.CnnV1(), 1));
        using var runner = new OrtRunner(file, 56, 56);
        InferenceSession session = runner.Session;
        Assert.Equal(["snr", "mask"], session.InputNames);
        Assert.Equal(["logit", "probability"], session.OutputNames);
        foreach (NodeMetadata input in session.InputMetadata.Values)
        {
            Assert.Equal(typeof(float), input.ElementType);
            Assert.Equal([1, 1, 56, 56], input.Dimensions);
        }
        Assert.All(session.OutputMetadata.Values, o => Assert.Equal([1, 1], o.Dimensions));
        Assert.Equal("0.5", session.ModelMetadata.CustomMetadataMap["eclairs.decision_threshold"]);
    }

    [Fact]
    public void Graph_uses_standard_operators_and_keeps_every_parameter()
    {
        ModelDocument document = TestModels.Random(Architectures.CnnV1(), 1);
        ModelProto model = OnnxExporter.BuildModel(document);
        string[] ops = model.Graph.Node.Select(n => n.OpType).ToArray();
        Assert.Equal(["Equal", "Where", "Concat", "Conv", "Relu", "MaxPool", "Conv", "Relu", "MaxPool", "Transpose", "Flatten",
            "Gemm", "Relu", "Gemm", "Sigmoid"], ops);
        long floats = model.Graph.Initializer.Where(t => t.DataType == (int)TensorProto.Types.DataType.Float)
            .Sum(t => t.Dims.Aggregate(1L, (a, d) => a * d));
        Assert.Equal(document.Network.ParameterCount + 1, floats); // + the zero the mask gate selects
    }

    [Fact]
    public void Export_is_deterministic()
    {
        ModelDocument document = TestModels.Random(Architectures.CompactV1(), 2);
        Assert.Equal(OnnxExporter.Export(document), OnnxExporter.Export(document));
        Assert.Equal(OnnxExporter.Export(document), OnnxExporter.Export(EclwWriter.ToBytes(document)));
    }

    [Fact]
    public void Bad_models_are_refused_with_the_format_error()
    {
        Assert.Throws<ArgumentNullException>(() => OnnxExporter.Export((ModelDocument)null!));
        ModelDocument document = TestModels.Random(Architectures.CompactV1(), 2);
        ModelDocument missing = document with { Tensors = document.Tensors.Skip(1).ToArray() };
        ModelFormatException e = Assert.Throws<ModelFormatException>(() => OnnxExporter.Export(missing));
        Assert.Equal(ModelFormatError.MissingTensor, e.Error);
        byte[] file = EclwWriter.ToBytes(document);
        file[100] ^= 1;
        Assert.Equal(ModelFormatError.ChecksumMismatch, Assert.Throws<ModelFormatException>(() => OnnxExporter.Export(file)).Error);
    }
}
