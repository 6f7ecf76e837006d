using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using Eclairs.Onboard.Inference;
using Eclairs.Onboard.Inference.Quantized;

namespace Eclairs.CodeGen;

/// <summary>One generated C file: its name and text.</summary>
public sealed record CFile(string Name, string Text);

/// <summary>
/// <c>eclairs codegen</c>: an int8 <c>.eclw</c> model as freestanding C99, bit-exact with the engine's scalar
/// reference (docs/leon3.md): <c>&lt;prefix&gt;.h</c> and <c>&lt;prefix&gt;.c</c> (parameters, plan, entry points) plus
/// the fixed kernel files they need.
/// </summary>
public static partial class CodeGenerator
{
    /// <summary>Every hand-written file shipped with the generator.</summary>
    public static IReadOnlyList<string> KernelFileNames { get; } =
        ["ecl_int8_kernels.h", "ecl_int8_bits.h", "ecl_int8_kernels.c", "ecl_int8_input.c", "ecl_int8_fast.c", "ecl_int8_residual.c"];

    /// <summary>
    /// The hand-written files a model generated with <paramref name="kernels"/> is compiled with; the residual-network
    /// kernels (ecl_int8_residual.c) only when <paramref name="residual"/>: a plain chain's code stays as small as it was.
    /// </summary>
    private static List<string> KernelFilesFor(CTarget kernels, bool residual)
    {
        var files = new List<string> { "ecl_int8_kernels.h", "ecl_int8_bits.h", "ecl_int8_kernels.c", "ecl_int8_input.c" };
        if (kernels == CTarget.Fast)
        {
            files.Add("ecl_int8_fast.c");
        }
        if (residual)
        {
            files.Add("ecl_int8_residual.c");
        }
        return files;
    }

    /// <summary>The hand-written files the generated C of <paramref name="plan"/> is compiled with.</summary>
    public static IReadOnlyList<string> KernelFilesFor(CStepPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return KernelFilesFor(plan.Kernels, plan.Steps.Any(s => s.Kernel is CKernel.Add or CKernel.AveragePool or CKernel.StridedConv2D));
    }

    /// <summary>Generates the model's header and source.</summary>
    /// <param name="model">The bytes of an int8 <c>.eclw</c> file.</param>
    /// <param name="prefix">C identifier prefix of every symbol (lower case, digits, underscores); null: from the model name.</param>
    /// <exception cref="ModelFormatException">Not a valid int8 model (a float32 model gives UnsupportedNumberFormat).</exception>
    /// <param name="kernels">Which kernels the plan may use.</param>
    /// <param name="stackTargets">Targets whose worst-case stack to write beside the scratch size (<c>&lt;PREFIX&gt;_STACK_BYTES_&lt;TARGET&gt;</c>):
    /// each needs its cross compiler (<see cref="CStackAnalysis"/>).</param>
    /// <exception cref="ArgumentException">The prefix is not a usable C identifier.</exception>
    /// <exception cref="NotSupportedException">A layer the generated C does not run (<see cref="CLayerSupport"/>).</exception>
    /// <exception cref="InvalidOperationException">A stack target's compiler is missing or its call graph cannot be bounded.</exception>
    public static IReadOnlyList<CFile> Generate(ReadOnlySpan<byte> model, string? prefix = null, CTarget kernels = CTarget.Fast,
        IReadOnlyList<CStackTarget>? stackTargets = null)
    {
        CModelInfo info = Describe(model, prefix, kernels);
        if (stackTargets is not { Count: > 0 })
        {
            return Render(info);
        }
        // The bound does not depend on the macros it is written into: compile once without them, then write them.
        var files = new List<CFile>(Render(info));
        foreach (string name in KernelFilesFor(info.Plan))
        {
            files.Add(new CFile(name, KernelFile(name)));
        }
        string[] entries = [info.Prefix + "_classify", info.Prefix + "_classify_quantized"];
        var bounds = stackTargets.Select(t => CStackAnalysis.Measure(t, files, entries)).ToList();
        return Render(info with { Stack = bounds });
    }

    /// <summary>The plan the generated C runs (steps, kernels, scratch offsets), for harnesses that drive single steps.</summary>
    public static CStepPlan Plan(ReadOnlySpan<byte> model, CTarget kernels = CTarget.Fast) => Describe(model, "m", kernels).Plan;

    private static IReadOnlyList<CFile> Render(CModelInfo info) =>
        [new CFile(info.Prefix + ".h", CModelWriter.Header(info)), new CFile(info.Prefix + ".c", CModelWriter.Source(info))];

    private static CModelInfo Describe(ReadOnlySpan<byte> model, string? prefix, CTarget kernels)
    {
        ModelDocument document = EclwReader.Read(model, out uint checksum);
        if (document.NumberFormat != NumberFormat.Int8)
        {
            throw new ModelFormatException(ModelFormatError.UnsupportedNumberFormat,
                $"codegen needs an int8 model; \"{document.Name}\" is {document.NumberFormat}: quantize it first (eclairs quantize)");
        }
        Int8Model loaded = Int8Model.Load(model, KernelPath.Scalar); // every load-time check of the engine
        CLayerSupport.Check(document.Network.LayerInfos); // a layer the engine runs and the C does not: refused, named
        Int8Parameters parameters = Int8Parameters.FromDocument(document);
        string p = prefix ?? PrefixFrom(document.Name);
        if (!IdentifierPattern().IsMatch(p))
        {
            throw new ArgumentException($"prefix \"{p}\" must be a C identifier of lower-case letters, digits and underscores, starting with a letter, at most 40 characters", nameof(prefix));
        }
        InputLayer input = (InputLayer)document.Network.Layers[0];
        CStepPlan plan = CStepPlan.Create(document.Network, parameters, kernels);
        return new CModelInfo(p, document.Name, checksum, input.Height, input.Width, parameters.InputSteps, parameters.InputZeroPoint,
            loaded.Normalization.Scale, loaded.Normalization.Offset, parameters.DecisionThreshold, CParameterBytes.Of(plan), plan);
    }

    /// <summary>The text of a kernel file (one of <see cref="KernelFileNames"/>).</summary>
    public static string KernelFile(string name)
    {
        using Stream stream = typeof(CodeGenerator).Assembly.GetManifestResourceStream(name)
            ?? throw new ArgumentException($"no kernel file {name}", nameof(name));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>Generates and writes the model files and the kernel files into <paramref name="directory"/>; returns the paths.</summary>
    public static IReadOnlyList<string> WriteTo(string directory, ReadOnlySpan<byte> model, string? prefix = null, CTarget kernels = CTarget.Fast,
        IReadOnlyList<CStackTarget>? stackTargets = null)
    {
        var files = new List<CFile>(Generate(model, prefix, kernels, stackTargets));
        foreach (string name in KernelFilesFor(Plan(model, kernels)))
        {
            files.Add(new CFile(name, KernelFile(name)));
        }
        Directory.CreateDirectory(directory);
        var paths = new List<string>();
        foreach (CFile f in files)
        {
            string path = Path.Combine(directory, f.Name);
            File.WriteAllText(path, f.Text, new UTF8Encoding(false));
            paths.Add(path);
        }
        return paths;
    }

    /// <summary>"eclairs-compact-v1 int8" becomes "eclairs_compact_v1_int8"; an empty name "ecl_model".</summary>
    public static string PrefixFrom(string modelName)
    {
        ArgumentNullException.ThrowIfNull(modelName);
        var b = new StringBuilder();
        foreach (char ch in modelName.ToLowerInvariant())
        {
            bool ok = ch is (>= 'a' and <= 'z') or (>= '0' and <= '9');
            if (ok)
            {
                b.Append(ch);
            }
            else if (b.Length > 0 && b[^1] != '_')
            {
                b.Append('_');
            }
        }
        string s = b.ToString().TrimEnd('_');
        if (s.Length == 0)
        {
            return "ecl_model";
        }
        if (s[0] is >= '0' and <= '9')
        {
            s = "ecl_" + s;
        }
        return s.Length > 40 ? s[..40].TrimEnd('_') : s;
    }

    [GeneratedRegex("^[a-z][a-z0-9_]{0,39}$")]
    private static partial Regex IdentifierPattern();
}
