using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;
using Eclairs.Onboard.Native;
using Xunit;

namespace Eclairs.Onboard.Native.Tests;

/// <summary>The C# mirrors of the ICD structs against what gcc makes of eclairs_onboard.h: every size and offset.</summary>
public class AbiLayoutTests
{
    private static readonly (string CStruct, string CField, Type Type, string Field)[] Fields =
    [
        ("ecl_model_info", "numeric_format", typeof(EclModelInfo), nameof(EclModelInfo.NumericFormat)),
        ("ecl_model_info", "layer_count", typeof(EclModelInfo), nameof(EclModelInfo.LayerCount)),
        ("ecl_model_info", "parameter_count", typeof(EclModelInfo), nameof(EclModelInfo.ParameterCount)),
        ("ecl_model_info", "macs", typeof(EclModelInfo), nameof(EclModelInfo.Macs)),
        ("ecl_model_info", "model_bytes", typeof(EclModelInfo), nameof(EclModelInfo.ModelBytes)),
        ("ecl_model_info", "context_bytes", typeof(EclModelInfo), nameof(EclModelInfo.ContextBytes)),
        ("ecl_model_info", "decision_threshold", typeof(EclModelInfo), nameof(EclModelInfo.DecisionThreshold)),
        ("ecl_model_info", "checksum", typeof(EclModelInfo), nameof(EclModelInfo.Checksum)),
        ("ecl_model_info", "name", typeof(EclModelInfo), nameof(EclModelInfo.Name)),
        ("ecl_result", "probability", typeof(EclResult), nameof(EclResult.Probability)),
        ("ecl_result", "logit", typeof(EclResult), nameof(EclResult.Logit)),
        ("ecl_result", "raw_logit", typeof(EclResult), nameof(EclResult.RawLogit)),
        ("ecl_result", "is_true_alert", typeof(EclResult), nameof(EclResult.IsTrueAlert)),
        ("ecl_trigger_config", "snr_threshold", typeof(EclTriggerConfig), nameof(EclTriggerConfig.SnrThreshold)),
        ("ecl_trigger_config", "min_image_std", typeof(EclTriggerConfig), nameof(EclTriggerConfig.MinImageStd)),
        ("ecl_trigger_config", "max_image_std", typeof(EclTriggerConfig), nameof(EclTriggerConfig.MaxImageStd)),
        ("ecl_trigger_config", "min_peak_ratio", typeof(EclTriggerConfig), nameof(EclTriggerConfig.MinPeakRatio)),
        ("ecl_trigger_config", "min_partial_coding", typeof(EclTriggerConfig), nameof(EclTriggerConfig.MinPartialCoding)),
        ("ecl_trigger_config", "background_model", typeof(EclTriggerConfig), nameof(EclTriggerConfig.BackgroundModel)),
        ("ecl_trigger_config", "reserved", typeof(EclTriggerConfig), nameof(EclTriggerConfig.Reserved)),
        ("ecl_known_source", "y", typeof(EclKnownSource), nameof(EclKnownSource.Y)),
        ("ecl_known_source", "z", typeof(EclKnownSource), nameof(EclKnownSource.Z)),
        ("ecl_known_source", "counts_per_s", typeof(EclKnownSource), nameof(EclKnownSource.CountsPerSecond)),
        ("ecl_known_source", "exclusion_radius", typeof(EclKnownSource), nameof(EclKnownSource.ExclusionRadius)),
        ("ecl_kernel_info", "kernel_path", typeof(EclKernelInfo), nameof(EclKernelInfo.KernelPath)),
        ("ecl_kernel_info", "step_count", typeof(EclKernelInfo), nameof(EclKernelInfo.StepCount)),
        ("ecl_kernel_info", "step_kernel", typeof(EclKernelInfo), nameof(EclKernelInfo.StepKernel)),
        ("ecl_kernel_info", "instruction_set", typeof(EclKernelInfo), nameof(EclKernelInfo.InstructionSet)),
        ("ecl_kernel_info", "lanes", typeof(EclKernelInfo), nameof(EclKernelInfo.Lanes)),
        ("ecl_load_options", "kernel_path", typeof(EclLoadOptions), nameof(EclLoadOptions.KernelPath)),
        ("ecl_load_options", "winograd", typeof(EclLoadOptions), nameof(EclLoadOptions.Winograd)),
        ("ecl_load_options", "reserved", typeof(EclLoadOptions), nameof(EclLoadOptions.Reserved)),
        ("ecl_alert", "raised", typeof(EclAlert), nameof(EclAlert.Raised)),
        ("ecl_alert", "quality_flags", typeof(EclAlert), nameof(EclAlert.QualityFlags)),
        ("ecl_alert", "peak_snr", typeof(EclAlert), nameof(EclAlert.PeakSnr)),
        ("ecl_alert", "second_peak_snr", typeof(EclAlert), nameof(EclAlert.SecondPeakSnr)),
        ("ecl_alert", "image_std", typeof(EclAlert), nameof(EclAlert.ImageStd)),
        ("ecl_alert", "sky_y", typeof(EclAlert), nameof(EclAlert.SkyY)),
        ("ecl_alert", "sky_z", typeof(EclAlert), nameof(EclAlert.SkyZ)),
        ("ecl_alert", "off_axis_deg", typeof(EclAlert), nameof(EclAlert.OffAxisDeg)),
        ("ecl_alert", "azimuth_deg", typeof(EclAlert), nameof(EclAlert.AzimuthDeg)),
        ("ecl_alert", "subimage_snr", typeof(EclAlert), nameof(EclAlert.SubimageSnr)),
        ("ecl_alert", "subimage_mask", typeof(EclAlert), nameof(EclAlert.SubimageMask)),
        ("ecl_trigger_criteria", "adaptive_threshold_slope", typeof(EclTriggerCriteria), nameof(EclTriggerCriteria.AdaptiveThresholdSlope)),
        ("ecl_trigger_criteria", "catalogue_flare_threshold", typeof(EclTriggerCriteria), nameof(EclTriggerCriteria.CatalogueFlareThreshold)),
        ("ecl_trigger_criteria", "reserved", typeof(EclTriggerCriteria), nameof(EclTriggerCriteria.Reserved)),
        ("ecl_alert_detail", "criterion", typeof(EclAlertDetail), nameof(EclAlertDetail.Criterion)),
        ("ecl_alert_detail", "known_source_index", typeof(EclAlertDetail), nameof(EclAlertDetail.KnownSourceIndex)),
        ("ecl_alert_detail", "effective_threshold", typeof(EclAlertDetail), nameof(EclAlertDetail.EffectiveThreshold)),
        ("ecl_alert_detail", "quality", typeof(EclAlertDetail), nameof(EclAlertDetail.Quality)),
        ("ecl_alert_detail", "reserved", typeof(EclAlertDetail), nameof(EclAlertDetail.Reserved)),
    ];

    private static readonly (string CStruct, Type Type)[] Structs =
    [
        ("ecl_model_info", typeof(EclModelInfo)),
        ("ecl_result", typeof(EclResult)),
        ("ecl_kernel_info", typeof(EclKernelInfo)),
        ("ecl_load_options", typeof(EclLoadOptions)),
        ("ecl_trigger_config", typeof(EclTriggerConfig)),
        ("ecl_known_source", typeof(EclKnownSource)),
        ("ecl_alert", typeof(EclAlert)),
        ("ecl_trigger_criteria", typeof(EclTriggerCriteria)),
        ("ecl_alert_detail", typeof(EclAlertDetail)),
    ];

    [Fact]
    public void EveryStructMatchesTheHeaderCompiledByGcc()
    {
        Dictionary<string, long> c = CompileAndRunLayoutProbe();
        foreach ((string cStruct, Type type) in Structs)
        {
            Assert.Equal(c[$"sizeof {cStruct}"], Marshal.SizeOf(type));
        }

        foreach ((string cStruct, string cField, Type type, string field) in Fields)
        {
            long expected = c[$"offsetof {cStruct}.{cField}"];
            Assert.True(expected == Marshal.OffsetOf(type, field).ToInt64(), $"{cStruct}.{cField}: C offset {expected}, C# {Marshal.OffsetOf(type, field)}");
        }
    }

    [Fact]
    public void StatusValuesAreTheIcds()
    {
        Dictionary<string, long> c = CompileAndRunLayoutProbe();
        foreach (EclStatus status in Enum.GetValues<EclStatus>())
        {
            Assert.Equal((long)status, c[$"status {status}"]);
        }

        Assert.Equal(LibraryExports.AbiVersion, c["ECL_ABI_VERSION"]);
        // The kernel codes of ecl_kernel_info are the selector's KernelAlgorithm values (except those the library never runs).
        foreach (Inference.KernelAlgorithm a in Enum.GetValues<Inference.KernelAlgorithm>())
        {
            if (ReportedByLibrary(a))
            {
                Assert.Equal((long)a, c[$"kernel {a}"]);
            }
        }

        foreach (EclWinograd w in Enum.GetValues<EclWinograd>())
        {
            Assert.Equal((long)w, c[$"winograd {w}"]);
        }
    }

    private static Dictionary<string, long> CompileAndRunLayoutProbe()
    {
        string dir = Path.Combine(Path.GetTempPath(), "ecl-abi-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(dir);
        string source = Path.Combine(dir, "probe.c");
        string exe = Path.Combine(dir, "probe");
        var lines = new List<string> { "#include <stddef.h>", "#include <stdio.h>", "#include \"eclairs_onboard.h\"", "int main(void) {" };
        foreach ((string cStruct, _) in Structs)
        {
            lines.Add($"  printf(\"sizeof {cStruct} %zu\\n\", sizeof({cStruct}));");
        }

        foreach ((string cStruct, string cField, _, _) in Fields)
        {
            lines.Add($"  printf(\"offsetof {cStruct}.{cField} %zu\\n\", offsetof({cStruct}, {cField}));");
        }

        foreach (EclStatus status in Enum.GetValues<EclStatus>())
        {
            lines.Add($"  printf(\"status {status} %d\\n\", (int){CName(status)});");
        }

        lines.Add("  printf(\"ECL_ABI_VERSION %u\\n\", ECL_ABI_VERSION);");
        foreach (Inference.KernelAlgorithm a in Enum.GetValues<Inference.KernelAlgorithm>())
        {
            if (ReportedByLibrary(a))
            {
                lines.Add($"  printf(\"kernel {a} %d\\n\", (int)ECL_KERNEL_{KernelCName(a)});");
            }
        }
        foreach ((EclWinograd w, string name) in new[] { (EclWinograd.Default, "DEFAULT"), (EclWinograd.Off, "OFF"), (EclWinograd.UpToF2, "UP_TO_F2"), (EclWinograd.UpToF4, "UP_TO_F4") })
        {
            lines.Add($"  printf(\"winograd {w} %d\\n\", (int)ECL_WINOGRAD_{name});");
        }
        lines.Add("  return 0;\n}");
        File.WriteAllLines(source, lines);
        Run("gcc", $"-std=c99 -Wall -Wextra -pedantic -Werror -I \"{AppContext.BaseDirectory}\" \"{source}\" -o \"{exe}\"");
        var result = new Dictionary<string, long>();
        foreach (string line in Run(exe, "").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            int space = line.LastIndexOf(' ');
            result[line[..space]] = long.Parse(line[(space + 1)..], CultureInfo.InvariantCulture);
        }

        return result;
    }

    /// <summary>
    /// Not in ecl_kernel_info: the test-only SDOT model, and the generated C's paired dense (KernelTarget.ForC only,
    /// never chosen for the library).
    /// </summary>
    private static bool ReportedByLibrary(Inference.KernelAlgorithm a) =>
        a is not (Inference.KernelAlgorithm.DotProductDenseModel or Inference.KernelAlgorithm.PairedDense);

    private static string KernelCName(Inference.KernelAlgorithm a) => a switch
    {
        Inference.KernelAlgorithm.None => "NONE",
        Inference.KernelAlgorithm.Input => "INPUT",
        Inference.KernelAlgorithm.ReferenceConv2D => "REFERENCE_CONV2D",
        Inference.KernelAlgorithm.DirectConv2D => "DIRECT_CONV2D",
        Inference.KernelAlgorithm.WinogradF2 => "WINOGRAD_F2",
        Inference.KernelAlgorithm.WinogradF4 => "WINOGRAD_F4",
        Inference.KernelAlgorithm.PairWinogradF2 => "PAIR_WINOGRAD_F2",
        Inference.KernelAlgorithm.ReferenceMaxPool => "REFERENCE_MAXPOOL",
        Inference.KernelAlgorithm.MaxPool => "MAXPOOL",
        Inference.KernelAlgorithm.ReferenceGlobalAveragePool => "REFERENCE_GLOBAL_AVERAGE_POOL",
        Inference.KernelAlgorithm.GlobalAveragePool => "GLOBAL_AVERAGE_POOL",
        Inference.KernelAlgorithm.ReferenceDense => "REFERENCE_DENSE",
        Inference.KernelAlgorithm.Dense => "DENSE",
        Inference.KernelAlgorithm.DotProductDense => "DOT_PRODUCT_DENSE",
        Inference.KernelAlgorithm.CopyActivation => "COPY_ACTIVATION",
        Inference.KernelAlgorithm.ReferenceAdd => "REFERENCE_ADD",
        Inference.KernelAlgorithm.Add => "ADD",
        Inference.KernelAlgorithm.ReferenceAveragePool => "REFERENCE_AVERAGE_POOL",
        Inference.KernelAlgorithm.AveragePool => "AVERAGE_POOL",
        Inference.KernelAlgorithm.ReferenceGeneralConv2D => "REFERENCE_GENERAL_CONV2D",
        Inference.KernelAlgorithm.PointwiseConv2D => "POINTWISE_CONV2D",
        Inference.KernelAlgorithm.StridedConv2D => "STRIDED_CONV2D",
        _ => throw new ArgumentOutOfRangeException(nameof(a)),
    };

    private static string CName(EclStatus status) => status switch
    {
        EclStatus.Ok => "ECL_OK",
        EclStatus.NullArgument => "ECL_E_NULL_ARGUMENT",
        EclStatus.BadLength => "ECL_E_BAD_LENGTH",
        EclStatus.ModelFormat => "ECL_E_MODEL_FORMAT",
        EclStatus.ModelChecksum => "ECL_E_MODEL_CHECKSUM",
        EclStatus.ModelUnsupported => "ECL_E_MODEL_UNSUPPORTED",
        EclStatus.InputMask => "ECL_E_INPUT_MASK",
        EclStatus.InputNonFinite => "ECL_E_INPUT_NONFINITE",
        EclStatus.InputRange => "ECL_E_INPUT_RANGE",
        EclStatus.IO => "ECL_E_IO",
        EclStatus.OutOfMemory => "ECL_E_OUT_OF_MEMORY",
        EclStatus.Internal => "ECL_E_INTERNAL",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    private static string Run(string file, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException($"cannot start {file}");
        string output = process.StandardOutput.ReadToEnd();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{file} {arguments} failed: {error}");
        return output;
    }
}
