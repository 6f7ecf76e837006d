using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Eclairs.Onboard.Inference.Quantized;

namespace Eclairs.CodeGen;

/// <summary>Writes the header and the source of one generated model (parameters as const arrays, the plan, the entry points).</summary>
internal static class CModelWriter
{
    private const int ValuesPerLine = 16;

    public static string Header(CModelInfo m)
    {
        string guard = $"{m.Macro}_H";
        var h = new StringBuilder();
        h.Append(Banner(m));
        h.Append(CultureInfo.InvariantCulture, $"""
            #ifndef {guard}
            #define {guard}

            #include <stdint.h>
            #include "ecl_int8_kernels.h"

            #define {m.Macro}_INPUT_HEIGHT {m.InputHeight}
            #define {m.Macro}_INPUT_WIDTH {m.InputWidth}
            #define {m.Macro}_INPUT_PIXELS {m.InputHeight * m.InputWidth}
            #define {m.Macro}_INPUT_BYTES {m.Plan.InputBytes} /* quantized input, NHWC: SNR code then mask code per pixel */
            #define {m.Macro}_SCRATCH_BYTES {m.Plan.ScratchBytes}u
            #define {m.Macro}_PARAMETER_BYTES {m.ParameterBytes}u /* int8 weights, int32 bias and multiplier, int8 shift */
            #define {m.Macro}_CHECKSUM 0x{m.Checksum:X8}u /* CRC-32 of the .eclw file */

            extern const ecl_i8_model {m.Prefix}_model;

            /* Classifies a quantized input. Not reentrant: one static scratch buffer of {m.Macro}_SCRATCH_BYTES. */
            void {m.Prefix}_classify_quantized(const int8_t input[{m.Macro}_INPUT_BYTES], ecl_i8_result *result);

            /* Quantizes SNR and mask (row-major {m.InputHeight} x {m.InputWidth}) as the engine's Int8Input, then classifies.
             * Returns ECL_I8_OK, or ECL_I8_E_MASK / ECL_I8_E_SNR / ECL_I8_E_SNR_RANGE without classifying. Not reentrant. */
            int {m.Prefix}_classify(const float snr[{m.Macro}_INPUT_PIXELS], const uint8_t mask[{m.Macro}_INPUT_PIXELS], ecl_i8_result *result);

            #endif

            """);
        return h.ToString();
    }

    public static string Source(CModelInfo m)
    {
        var c = new StringBuilder();
        c.Append(Banner(m));
        c.Append(CultureInfo.InvariantCulture, $"#include \"{m.Prefix}.h\"\n\n");
        foreach (CStep s in m.Plan.Steps)
        {
            if (s.Parameters is { } p)
            {
                string name = ArrayName(m, s, "");
                c.Append(CultureInfo.InvariantCulture, $"/* layer {s.LayerIndex}: {s.Description} */\n");
                Array(c, "int8_t", name + "weights", p.Weights.Length, i => p.Weights[i]);
                Array(c, "int32_t", name + "bias", p.Bias.Length, i => p.Bias[i]);
                Array(c, "int32_t", name + "multiplier", p.Multiplier.Length, i => p.Multiplier[i]);
                Array(c, "int8_t", name + "shift", p.Shift.Length, i => p.Shift[i]);
                c.Append('\n');
            }
        }

        c.Append(CultureInfo.InvariantCulture, $"static const ecl_i8_step {m.Prefix}_steps[{m.Plan.Steps.Count}] = {{\n");
        foreach (CStep s in m.Plan.Steps)
        {
            c.Append(CultureInfo.InvariantCulture, $"    /* layer {s.LayerIndex}: {s.Description} */\n");
            c.Append(CultureInfo.InvariantCulture, $"    {{ .op = {OperationName(s.Operation)},\n");
            c.Append(CultureInfo.InvariantCulture, $"      .in = {{ {s.In.Height}, {s.In.Width}, {s.In.Channels} }}, .out = {{ {s.Out.Height}, {s.Out.Width}, {s.Out.Channels} }},\n");
            if (s.Parameters is not null)
            {
                string name = ArrayName(m, s, "");
                int outputZeroPoint = s.Parameters.OutputZeroPoint;
                c.Append(CultureInfo.InvariantCulture, $"      .kernel = {s.KernelSize}, .pad = {s.Pad}, .weights = {name}weights,\n");
                c.Append(CultureInfo.InvariantCulture, $"      .requantize = {{ {name}bias, {name}multiplier, {name}shift, {s.InputZeroPoint}, {outputZeroPoint}, {s.ActivationMin} }},\n");
            }
            c.Append(CultureInfo.InvariantCulture, $"      .source = {s.Source}u, .destination = {s.Destination}u }},\n");
        }
        c.Append("};\n\n");

        c.Append(CultureInfo.InvariantCulture, $$"""
            const ecl_i8_model {{m.Prefix}}_model = {
                .steps = {{m.Prefix}}_steps,
                .step_count = {{m.Plan.Steps.Count}}u,
                .input_height = {{m.InputHeight}},
                .input_width = {{m.InputWidth}},
                .input_steps = {{m.InputSteps}},
                .input_zero_point = {{m.InputZeroPoint}},
                .snr_scale_bits = 0x{{m.SnrScaleBits:X8}}u, /* {{m.SnrScale.ToString("R", CultureInfo.InvariantCulture)}}f */
                .snr_offset_bits = 0x{{m.SnrOffsetBits:X8}}u, /* {{m.SnrOffset.ToString("R", CultureInfo.InvariantCulture)}}f */
                .decision_threshold = {{m.DecisionThreshold}},
                .input_offset = 0u,
                .output_offset = {{m.Plan.OutputOffset}}u,
                .scratch_bytes = {{m.Macro}}_SCRATCH_BYTES,
                .checksum = {{m.Macro}}_CHECKSUM,
            };

            static int8_t {{m.Prefix}}_scratch[{{m.Macro}}_SCRATCH_BYTES];

            void {{m.Prefix}}_classify_quantized(const int8_t input[{{m.Macro}}_INPUT_BYTES], ecl_i8_result *result)
            {
                for (uint32_t i = 0; i < {{m.Macro}}_INPUT_BYTES; i++) {
                    {{m.Prefix}}_scratch[i] = input[i];
                }
                ecl_i8_run(&{{m.Prefix}}_model, {{m.Prefix}}_scratch, result);
            }

            int {{m.Prefix}}_classify(const float snr[{{m.Macro}}_INPUT_PIXELS], const uint8_t mask[{{m.Macro}}_INPUT_PIXELS], ecl_i8_result *result)
            {
                int status = ecl_i8_quantize_input(&{{m.Prefix}}_model, snr, mask, {{m.Prefix}}_scratch);
                if (status == ECL_I8_OK) {
                    ecl_i8_run(&{{m.Prefix}}_model, {{m.Prefix}}_scratch, result);
                }
                return status;
            }

            """);
        return c.ToString();
    }

    private static string Banner(CModelInfo m) => string.Create(CultureInfo.InvariantCulture, $"""
        /* Generated by `eclairs codegen` from the int8 model "{Sanitize(m.Name)}" (.eclw CRC-32 0x{m.Checksum:X8}).
         * Do not edit: regenerate from the model file. Kernels: ecl_int8_kernels.c (docs/leon3.md). */

        """);

    private static string Sanitize(string text) => text.Replace("*/", "* /", StringComparison.Ordinal);

    private static string ArrayName(CModelInfo m, CStep s, string suffix) =>
        string.Create(CultureInfo.InvariantCulture, $"{m.Prefix}_layer{s.LayerIndex}_{suffix}");

    private static string OperationName(COperation op) => op switch
    {
        COperation.Conv2D => "ECL_I8_CONV2D",
        COperation.Conv2DMaxPool => "ECL_I8_CONV2D_MAXPOOL",
        COperation.MaxPool => "ECL_I8_MAXPOOL",
        COperation.GlobalAveragePool => "ECL_I8_GLOBAL_AVERAGE_POOL",
        COperation.Dense => "ECL_I8_DENSE",
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "unknown operation"),
    };

    private static void Array(StringBuilder c, string type, string name, int count, Func<int, int> value)
    {
        c.Append(CultureInfo.InvariantCulture, $"static const {type} {name}[{count}] = {{\n");
        for (int i = 0; i < count; i += ValuesPerLine)
        {
            c.Append("    ");
            for (int j = i; j < Math.Min(count, i + ValuesPerLine); j++)
            {
                int v = value(j);
                // INT32_MIN cannot be written as a literal; the loader refuses such multipliers, bias may hold it.
                c.Append(v == int.MinValue ? "INT32_MIN" : v.ToString(CultureInfo.InvariantCulture));
                c.Append(j + 1 < count ? ", " : "");
            }
            c.Append('\n');
        }
        c.Append("};\n");
    }
}

/// <summary>What the writer needs of a model: identity, input quantization, decision, the plan.</summary>
internal sealed record CModelInfo(string Prefix, string Name, uint Checksum, int InputHeight, int InputWidth, int InputSteps, int InputZeroPoint,
    float SnrScale, float SnrOffset, int DecisionThreshold, long ParameterBytes, CStepPlan Plan)
{
    public string Macro => Prefix.ToUpperInvariant();

    public uint SnrScaleBits => BitConverter.SingleToUInt32Bits(SnrScale);

    public uint SnrOffsetBits => BitConverter.SingleToUInt32Bits(SnrOffset);
}

/// <summary>Helper for <see cref="CModelWriter"/>: parameter bytes as the generated arrays hold them.</summary>
internal static class CParameterBytes
{
    public static long Of(IEnumerable<Int8LayerParameters> layers)
    {
        long n = 0;
        foreach (Int8LayerParameters l in layers)
        {
            n += l.Weights.Length + (8L * l.Bias.Length) + l.Shift.Length;
        }
        return n;
    }
}
