using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Eclairs.Onboard.Inference;
using Eclairs.Onboard.Inference.Quantized;

namespace Eclairs.CodeGen;

/// <summary>Writes the header and the source of one generated model (parameters as const arrays, the plan, the entry points).</summary>
internal static class CModelWriter
{
    private const int ValuesPerLine = 16;

    public static string Header(CModelInfo m)
    {
        string guard = $"{m.Macro}_H";
        CWorkspace w = m.Plan.Workspace;
        var h = new StringBuilder();
        h.Append(Banner(m));
        h.Append(CultureInfo.InvariantCulture, $"""
            #ifndef {guard}
            #define {guard}

            #include <stdint.h>
            #include "ecl_int8_kernels.h"

            #define {m.Macro}_INPUT_HEIGHT {m.InputHeight}u
            #define {m.Macro}_INPUT_WIDTH {m.InputWidth}u
            #define {m.Macro}_INPUT_PIXELS {m.InputHeight * m.InputWidth}u
            #define {m.Macro}_INPUT_BYTES {m.Plan.InputBytes}u /* quantized input, NHWC: SNR code then mask code per pixel */
            #define {m.Macro}_STEP_COUNT {m.Plan.Steps.Count}u
            #define {m.Macro}_SCRATCH_BYTES {m.Plan.ScratchBytes}u
            #define {m.Macro}_KEPT_BYTES {m.Plan.KeptBytes}u /* of the scratch buffer: outputs a later Add or Branch reads (0: a plain chain) */
            #define {m.Macro}_WORK_BAND_BYTES {Math.Max(1, w.BandBytes)}u /* fast kernels' working memory (1: unused) */
            #define {m.Macro}_WORK_V_VALUES {Math.Max(1, w.TransformedInput)}u
            #define {m.Macro}_WORK_M_VALUES {Math.Max(1, w.Products)}u
            #define {m.Macro}_PARAMETER_BYTES {m.ParameterBytes}u /* the arrays of {m.Prefix}.c: weights (or their transforms), bias, multiplier, shift */
            #define {m.Macro}_KERNELS "{(m.Plan.Kernels == CTarget.Fast ? "fast" : "small")}"
            #define {m.Macro}_CHECKSUM 0x{m.Checksum:X8}u /* CRC-32 of the .eclw file */
            {StackLines(m)}
            extern const ecl_i8_model {m.Prefix}_model;
            extern const ecl_i8_step {m.Prefix}_steps[{m.Macro}_STEP_COUNT];

            /* Classifies a quantized input. Not reentrant: one static scratch buffer of {m.Macro}_SCRATCH_BYTES. */
            void {m.Prefix}_classify_quantized(const int8_t input[{m.Macro}_INPUT_BYTES], ecl_i8_result *result);

            /* Quantizes SNR and mask (row-major {m.InputHeight} x {m.InputWidth}) as the engine's Int8Input, then classifies.
             * Returns ECL_I8_OK, or ECL_I8_E_MASK / ECL_I8_E_SNR / ECL_I8_E_SNR_RANGE without classifying. Not reentrant. */
            int32_t {m.Prefix}_classify(const float snr[{m.Macro}_INPUT_PIXELS], const uint8_t mask[{m.Macro}_INPUT_PIXELS], ecl_i8_result *result);

            #endif

            """);
        return h.ToString();
    }

    private static string StackLines(CModelInfo m)
    {
        if (m.Stack.Count == 0)
        {
            return "";
        }
        var s = new StringBuilder();
        foreach (CStackBound b in m.Stack)
        {
            s.Append(CultureInfo.InvariantCulture,
                $"#define {m.Macro}_STACK_BYTES_{b.Target.Macro} {b.Bytes}u /* worst-case stack of the entry points on {b.Target.Name} ({b.Target.Compiler} {string.Join(' ', b.Target.Flags)}; -fstack-usage and the call graph): {b.Path} */\n");
        }
        return s.ToString();
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
                switch (s.Kernel)
                {
                    case CKernel.Winograd2 or CKernel.Winograd4:
                        Array(c, "int16_t", name + "transformed", CWeightTransforms.Winograd(p.Weights, s.In.Channels, s.Out.Channels, s.Kernel.WinogradTile()));
                        Array(c, "int32_t", name + "bias_folded", CWeightTransforms.FoldedBias(s));
                        break;
                    case CKernel.DensePairs:
                        Array(c, "int32_t", name + "packed", CWeightTransforms.DensePairs(p.Weights, (int)s.In.Size, s.Out.Channels));
                        Array(c, "int32_t", name + "bias_folded", CWeightTransforms.FoldedBias(s));
                        break;
                    default:
                        Array(c, "int8_t", name + "weights", p.Weights.Select(v => (int)v).ToArray());
                        Array(c, "int32_t", name + "bias", p.Bias);
                        break;
                }
                Array(c, "int32_t", name + "multiplier", p.Multiplier);
                Array(c, "int8_t", name + "shift", p.Shift);
                c.Append('\n');
            }
            else if (s.Add is { } a)
            {
                string name = ArrayName(m, s, "");
                c.Append(CultureInfo.InvariantCulture, $"/* layer {s.LayerIndex}: {s.Description}: the sum's requantization */\n");
                Array(c, "int32_t", name + "multiplier", new[] { a.OutputMultiplier });
                Array(c, "int8_t", name + "shift", new[] { a.OutputShift });
                c.Append(CultureInfo.InvariantCulture,
                    $"static const ecl_i8_add_scales {name}add = {{ {{ {s.InputZeroPoint}, {a.InputMultiplier}, {a.InputShift} }}, {{ {s.ResidualZeroPoint}, {a.SourceMultiplier}, {a.SourceShift} }}, {Int8AddParameters.LeftShift} }};\n");
                c.Append('\n');
            }
        }

        c.Append(CultureInfo.InvariantCulture, $"const ecl_i8_step {m.Prefix}_steps[{m.Macro}_STEP_COUNT] = {{\n");
        foreach (CStep s in m.Plan.Steps)
        {
            c.Append(CultureInfo.InvariantCulture, $"    /* layer {s.LayerIndex}: {s.Description}; {s.Kernel.Function()} */\n");
            c.Append(CultureInfo.InvariantCulture, $"    {{ .in = {{ {s.In.Height}, {s.In.Width}, {s.In.Channels} }}, .out = {{ {s.Out.Height}, {s.Out.Width}, {s.Out.Channels} }},\n");
            if (s.Parameters is not null)
            {
                string name = ArrayName(m, s, "");
                string weights = s.Kernel switch
                {
                    CKernel.Winograd2 or CKernel.Winograd4 => $".transformed = {name}transformed, .tiles_y = {s.TilesY}, .tiles_x = {s.TilesX}, .pool = {PoolName(s.Pool)},",
                    CKernel.DensePairs => $".packed = {name}packed,",
                    _ => $".weights = {name}weights,",
                };
                string bias = s.Kernel.FoldsZeroPoint() ? "bias_folded" : "bias";
                string stride = s.Kernel == CKernel.StridedConv2D ? $".stride = {s.Stride}, " : "";
                c.Append(CultureInfo.InvariantCulture, $"      .kernel = {s.KernelSize}, .pad = {s.Pad}, {stride}{weights}\n");
                c.Append(CultureInfo.InvariantCulture, $"      .requantize = {{ {name}{bias}, {name}multiplier, {name}shift, {s.InputZeroPoint}, {s.Parameters.OutputZeroPoint}, {s.ActivationMin} }} }},\n");
            }
            else if (s.Add is { } a)
            {
                string name = ArrayName(m, s, "");
                c.Append(CultureInfo.InvariantCulture, $"      .add = &{name}add,\n");
                c.Append(CultureInfo.InvariantCulture,
                    $"      .requantize = {{ .multiplier = {name}multiplier, .shift = {name}shift, .input_zero_point = {s.InputZeroPoint}, .output_zero_point = {a.OutputZeroPoint}, .activation_min = {s.ActivationMin} }} }},\n");
            }
            else
            {
                c.Append("      .kernel = 0 },\n");
            }
        }
        c.Append("};\n\n");

        CWorkspace w = m.Plan.Workspace;
        c.Append(CultureInfo.InvariantCulture, $$"""
            const ecl_i8_model {{m.Prefix}}_model = {
                .input_height = {{m.InputHeight}},
                .input_width = {{m.InputWidth}},
                .input_steps = {{m.InputSteps}},
                .input_zero_point = {{m.InputZeroPoint}},
                .snr_scale_bits = 0x{{m.SnrScaleBits:X8}}u, /* {{m.SnrScale.ToString("R", CultureInfo.InvariantCulture)}}f */
                .snr_offset_bits = 0x{{m.SnrOffsetBits:X8}}u, /* {{m.SnrOffset.ToString("R", CultureInfo.InvariantCulture)}}f */
                .decision_threshold = {{m.DecisionThreshold}},
                .checksum = {{m.Macro}}_CHECKSUM,
            };

            static int8_t {{m.Prefix}}_scratch[{{m.Macro}}_SCRATCH_BYTES];

            """);
        bool workspace = m.Plan.Steps.Any(s => s.Kernel.NeedsWorkspace());

        c.Append(CultureInfo.InvariantCulture, $$"""

            /* The plan: each step's kernel on its input and output in the scratch buffer. */
            static void {{m.Prefix}}_run(ecl_i8_result *result)
            {

            """);
        if (workspace)
        {
            c.Append(CultureInfo.InvariantCulture, $$"""
                    static int8_t {{m.Prefix}}_band[{{m.Macro}}_WORK_BAND_BYTES];
                    static int16_t {{m.Prefix}}_v[{{m.Macro}}_WORK_V_VALUES];
                    static uint32_t {{m.Prefix}}_m[{{m.Macro}}_WORK_M_VALUES];
                    static const ecl_i8_workspace {{m.Prefix}}_workspace = { {{m.Prefix}}_band, {{m.Prefix}}_v, {{m.Prefix}}_m };

                """);
        }
        for (int i = 0; i < m.Plan.Steps.Count; i++)
        {
            CStep s = m.Plan.Steps[i];
            string extra = s.Kernel.NeedsWorkspace() ? $", &{m.Prefix}_workspace" : "";
            string residual = s.Residual >= 0 ? $"&{m.Prefix}_scratch[{s.Residual}], " : "";
            c.Append(CultureInfo.InvariantCulture,
                $"    {s.Kernel.Function()}(&{m.Prefix}_steps[{i}], &{m.Prefix}_scratch[{s.Source}], {residual}&{m.Prefix}_scratch[{s.Destination}]{extra});\n");
        }
        c.Append(CultureInfo.InvariantCulture, $$"""
                ecl_i8_decide(&{{m.Prefix}}_model, {{m.Prefix}}_scratch[{{m.Plan.OutputOffset}}], result);
            }

            void {{m.Prefix}}_classify_quantized(const int8_t input[{{m.Macro}}_INPUT_BYTES], ecl_i8_result *result)
            {
                for (uint32_t i = 0u; i < {{m.Macro}}_INPUT_BYTES; i++) {
                    {{m.Prefix}}_scratch[{{(m.Plan.InputOffset == 0 ? "" : m.Plan.InputOffset.ToString(CultureInfo.InvariantCulture) + "u + ")}}i] = input[i];
                }
                {{m.Prefix}}_run(result);
            }

            int32_t {{m.Prefix}}_classify(const float snr[{{m.Macro}}_INPUT_PIXELS], const uint8_t mask[{{m.Macro}}_INPUT_PIXELS], ecl_i8_result *result)
            {
                const int32_t status = ecl_i8_quantize_input(&{{m.Prefix}}_model, snr, mask, &{{m.Prefix}}_scratch[{{m.Plan.InputOffset}}]);
                if (status == ECL_I8_OK) {
                    {{m.Prefix}}_run(result);
                }
                return status;
            }

            """);
        return c.ToString();
    }

    private static string Banner(CModelInfo m) => string.Create(CultureInfo.InvariantCulture, $"""
        /* Generated by `eclairs codegen --kernels {(m.Plan.Kernels == CTarget.Fast ? "fast" : "small")}` from the int8 model "{Sanitize(m.Name)}" (.eclw CRC-32 0x{m.Checksum:X8}).
         * Do not edit: regenerate from the model file. Kernels: {string.Join(", ", CodeGenerator.KernelFilesFor(m.Plan).Where(f => f.EndsWith(".c", StringComparison.Ordinal)))} (docs/leon3.md). */

        """);

    private static string Sanitize(string text) => text.Replace("*/", "* /", StringComparison.Ordinal);

    private static string ArrayName(CModelInfo m, CStep s, string suffix) =>
        string.Create(CultureInfo.InvariantCulture, $"{m.Prefix}_layer{s.LayerIndex}_{suffix}");

    private static string PoolName(CPool pool) => pool switch
    {
        CPool.MaxOfSums => "ECL_I8_POOL_MAX_OF_SUMS",
        CPool.MaxOfOutputs => "ECL_I8_POOL_MAX_OF_OUTPUTS",
        _ => "ECL_I8_POOL_NONE",
    };

    private static void Array(StringBuilder c, string type, string name, int[] values) =>
        Array(c, type, name, values.Length, i => values[i]);

    private static void Array(StringBuilder c, string type, string name, short[] values) =>
        Array(c, type, name, values.Length, i => values[i]);

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

    /// <summary>Worst-case stack bounds to write beside the scratch size (empty: none asked for).</summary>
    public IReadOnlyList<CStackBound> Stack { get; init; } = [];
}

/// <summary>Helper for <see cref="CModelWriter"/>: parameter bytes as the generated arrays hold them.</summary>
internal static class CParameterBytes
{
    public static long Of(CStepPlan plan)
    {
        long n = 0;
        foreach (CStep s in plan.Steps)
        {
            if (s.Parameters is not { } l)
            {
                continue;
            }
            long weights = s.Kernel switch
            {
                CKernel.Winograd2 or CKernel.Winograd4 => 2L * (s.Kernel.WinogradTile() + 2) * (s.Kernel.WinogradTile() + 2) * ((s.Out.Channels + CKernels.WinogradChannels - 1) / CKernels.WinogradChannels)
                    * CKernels.WinogradChannels * s.In.Channels,
                CKernel.DensePairs => 4L * ((s.Out.Channels + CKernels.DensePassChannels - 1) / CKernels.DensePassChannels)
                    * (CKernels.DensePassChannels / 2) * s.In.Size,
                _ => l.Weights.Length,
            };
            n += weights + (8L * l.Bias.Length) + l.Shift.Length;
        }
        foreach (CStep s in plan.Steps)
        {
            n += s.Add is null ? 0 : 5 + 28; // the sum's multiplier and shift, the inputs' scaling (ecl_i8_add_scales)
        }
        return n;
    }
}
