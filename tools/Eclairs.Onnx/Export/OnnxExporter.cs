using System;
using System.Globalization;
using System.Linq;
using Eclairs.Onboard.Inference;
using Eclairs.Onnx.Protobuf;
using Google.Protobuf;

namespace Eclairs.Onnx;

/// <summary>
/// Writes a <c>.eclw</c> model as a standard ONNX graph (IR version 8, default-domain opset 17) that computes what
/// the engine computes: inputs <c>snr</c> and <c>mask</c>, each [1, 1, H, W] float (NCHW); outputs <c>logit</c>
/// [1, 1] and <c>probability</c> [1, 1] for a classifier. A float network without a final Sigmoid (a prefix, used to
/// check layers one by one) gets a single output <c>output</c> in the engine's own order: [1, H, W, C] for an image,
/// [1, N] for a vector. An int8 model becomes a QDQ graph (QuantizeLinear / DequantizeLinear around every Conv and
/// Gemm, per-channel weight scales) with a third output, <c>raw_logit</c> [1, 1] int8, the code the engine decides on.
/// </summary>
public static class OnnxExporter
{
    /// <summary>ONNX IR version written (ONNX 1.12; every ONNX Runtime since 1.12 reads it).</summary>
    public const long IrVersion = 8;

    /// <summary>Version of the default (ai.onnx) operator set the graph uses.</summary>
    public const long OpsetVersion = 17;

    /// <summary>Name of the SNR input, [1, 1, H, W] float.</summary>
    public const string SnrInput = "snr";

    /// <summary>Name of the mask input, [1, 1, H, W] float holding 0..3.</summary>
    public const string MaskInput = "mask";

    /// <summary>Name of the logit output of a classifier, [1, 1].</summary>
    public const string LogitOutput = "logit";

    /// <summary>Name of the probability output of a classifier (Sigmoid of the logit), [1, 1].</summary>
    public const string ProbabilityOutput = "probability";

    /// <summary>Name of the int8 raw logit output of an int8 classifier, [1, 1] int8.</summary>
    public const string RawLogitOutput = QdqNetworkGraph.RawLogitOutput;

    /// <summary>Name of the single output of a network without a final Sigmoid.</summary>
    public const string PlainOutput = "output";

    /// <summary>Reads a <c>.eclw</c> file (all its checks included) and exports it.</summary>
    /// <exception cref="ModelFormatException">The file is not a valid model.</exception>
    public static byte[] Export(ReadOnlySpan<byte> eclwFile) => Export(EclwReader.Read(eclwFile));

    /// <summary>Exports a float32 or int8 document as the bytes of an ONNX model file.</summary>
    /// <exception cref="ModelFormatException">The document is not a valid model.</exception>
    /// <exception cref="NotSupportedException">An int8 document without a final Sigmoid (the int8 engine runs only classifiers).</exception>
    public static byte[] Export(ModelDocument document) => BuildModel(document).ToByteArray();

    /// <summary>The ONNX model as protobuf messages (to inspect or to change before writing).</summary>
    public static ModelProto BuildModel(ModelDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        document.Validate();
        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "Eclairs.Onnx",
            ProducerVersion = typeof(OnnxExporter).Assembly.GetName().Version?.ToString() ?? "0",
            ModelVersion = 1,
            DocString = "ECLAIRs alert classifier exported from .eclw. Inputs: snr and mask, [1,1,H,W] float, NCHW; "
                + "a pixel whose mask is 0 enters as 0 whatever its SNR (NaN allowed).",
            Graph = document.NumberFormat == NumberFormat.Int8 ? QdqNetworkGraph.Build(document) : NetworkGraph.Build(document),
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = OpsetVersion });
        AddMetadata(model, "eclairs.name", document.Name);
        AddMetadata(model, "eclairs.decision_threshold", document.DecisionThreshold.ToString("R", CultureInfo.InvariantCulture));
        AddMetadata(model, "eclairs.snr_scale", document.Normalization.Scale.ToString("R", CultureInfo.InvariantCulture));
        AddMetadata(model, "eclairs.snr_offset", document.Normalization.Offset.ToString("R", CultureInfo.InvariantCulture));
        if (document.NumberFormat == NumberFormat.Int8)
        {
            int threshold = Onboard.Inference.Quantized.Int8Parameters.FromDocument(document).DecisionThreshold;
            AddMetadata(model, "eclairs.raw_logit_threshold", threshold.ToString(CultureInfo.InvariantCulture));
        }
        AddMetadata(model, "eclairs.layers", string.Join(",", document.Network.Layers.Select(l => l.Kind.ToString())));
        if (document.Provenance.Length > 0)
        {
            AddMetadata(model, "eclairs.provenance", document.Provenance);
        }
        return model;
    }

    private static void AddMetadata(ModelProto model, string key, string value) =>
        model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
}
