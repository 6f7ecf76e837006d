using Eclairs.Onboard.Inference;

namespace Eclairs.Onnx;

/// <summary>
/// The engine's input stage as ONNX nodes, shared by the float and the int8 graphs: channel 0 is the SNR normalised
/// where the mask is not 0 and 0 elsewhere (<c>Where</c>, so a NaN there never propagates: 0 x NaN would be NaN),
/// channel 1 the mask as a float 0..3, concatenated on axis 1 (NCHW).
/// </summary>
internal static class InputGraph
{
    public static string Build(GraphBuilder builder, InputNormalization normalization)
    {
        string zero = builder.Floats("zero", [0f]);
        string snr = OnnxExporter.SnrInput;
        if (normalization.Scale != 1f)
        {
            snr = builder.Node("Mul", "input/scale", [snr, builder.Floats("snr_scale", [normalization.Scale])]);
        }
        if (normalization.Offset != 0f)
        {
            snr = builder.Node("Add", "input/offset", [snr, builder.Floats("snr_offset", [normalization.Offset])]);
        }
        string masked = builder.Node("Equal", "input/masked", [OnnxExporter.MaskInput, zero]);
        string gated = builder.Node("Where", "input/gated", [masked, zero, snr]);
        return builder.Node("Concat", "input/concat", [gated, OnnxExporter.MaskInput], null, GraphBuilder.Int("axis", 1));
    }
}
