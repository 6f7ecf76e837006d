using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Eclairs.Onboard.Inference;

namespace Eclairs.Budget;

/// <summary>A native library file and its size.</summary>
public sealed record LibraryFile(string Path, long Bytes);

/// <summary>What the report is made from.</summary>
/// <param name="Models">Measured model files, in report order.</param>
/// <param name="Counts">Instruction counts (tools/budget/count-instructions.sh), or null when the file is absent.</param>
/// <param name="CountsSource">Where the counts were read (or looked for).</param>
/// <param name="Leon">LEON3 measurements, or null when the file is absent.</param>
/// <param name="LeonSource">Where they were read (or looked for).</param>
/// <param name="Libraries">Native library files found or given.</param>
/// <param name="Machine">CPU, cores, runtime, load.</param>
/// <param name="Command">The command that regenerates the report.</param>
/// <param name="GeneratedUtc">When.</param>
public sealed record BudgetInputs(IReadOnlyList<ModelFigures> Models, IReadOnlyList<InstructionCount>? Counts,
    string CountsSource, IReadOnlyList<LeonMeasurement>? Leon, string LeonSource, IReadOnlyList<LibraryFile> Libraries,
    string Machine, string Command, DateTime GeneratedUtc);

/// <summary>Renders docs/budget.md.</summary>
public static class BudgetReport
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The report as markdown.</summary>
    public static string Render(BudgetInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var md = new StringBuilder();
        Line(md, "# Budget report: cycles and bytes per alert classification");
        Line(md);
        Line(md, "Regenerate (one command, ~1 minute; reads the instruction counts and LEON3 measurements below if present):");
        Line(md, "```");
        Line(md, inputs.Command);
        Line(md, "```");
        Line(md, "The instruction counts come from `tools/budget/count-instructions.sh` (about 15 minutes; writes");
        Line(md, $"`{inputs.CountsSource}`): run it first when the engine changes.");
        Line(md);
        Line(md, $"Generated {inputs.GeneratedUtc.ToString("yyyy-MM-dd HH:mm", Inv)} UTC on {inputs.Machine}.");
        Line(md, "Times are medians of single calls on a warmed context, measured in this process (one thread, batch 1, the");
        Line(md, "first alert of tests/native/vectors/eclairs-compact-v1.f32.eclv): they move with machine load; BenchmarkDotNet");
        Line(md, "([benchmarks.md](benchmarks.md)) is the reference for speed. Sizes, MACs and instruction counts do not move.");
        Line(md);

        Headlines(md, inputs);
        Totals(md, inputs);
        Counts(md, inputs);
        Libraries(md, inputs);
        Projections(md, inputs);
        LeonMeasured(md, inputs);
        foreach (ModelFigures m in inputs.Models)
        {
            PerLayer(md, m);
        }
        Method(md);
        return md.ToString();
    }

    private static void Headlines(StringBuilder md, BudgetInputs inputs)
    {
        CoreAssumption leon = Cores.Leon(100), a53 = Cores.CortexA53;
        Line(md, "## Headlines");
        Line(md, "| model | format | memory: parameters as stored + one context | measured here (best path, median) | Cortex-A53 1.2 GHz, projected | LEON 100 MHz, projected (tight loop .. scalar reference) | LEON3 measured |");
        Line(md, "|---|---|---:|---:|---:|---:|---:|");
        foreach (ModelFigures m in inputs.Models)
        {
            InstructionCount? arm = inputs.Counts?.FirstOrDefault(c => c.Model == m.File && c.Target == "arm64");
            InstructionCount? scalar = inputs.Counts?.FirstOrDefault(c => c.Model == m.File && c.Build == "managed-scalar");
            LeonMeasurement? measured = inputs.Leon?.Where(l => l.Target == "leon3" && (l.Model == m.File || l.Model == m.Name))
                .OrderBy(l => l.InstructionsPerInference).FirstOrDefault();
            string tight = F(leon.Milliseconds(m.Macs * Cores.TightScalarInstructionsPerMac), 0);
            string leonRange = scalar is null ? $"{tight} ms .. ?" : $"{tight} .. {F(leon.Milliseconds(scalar.PerInference), 0)} ms";
            Line(md, $"| {m.File} | {Format(m.Format)} | {F((m.ParameterBytes + m.ContextBytes) / 1048576.0, 2)} MiB | {Us(m.BestNanoseconds)} ({m.BestPath}) | "
                + $"{(arm is null ? "" : F(a53.Milliseconds(arm.PerInference), 1) + " ms" + (arm.Kernels.StartsWith("Scalar", StringComparison.Ordinal) ? " (scalar kernels on arm64)" : ""))} | {leonRange} | "
                + $"{(measured is null ? "not yet" : F(leon.Milliseconds(measured.InstructionsPerInference), 0) + $" ms at 100 MHz (--kernels {measured.Kernels})")} |");
        }
        Line(md);
        Line(md, "Projections use the stated IPC assumptions of the PROJECTION section; caches and memory bandwidth are not modelled.");
        Line(md);
    }

    private static void Totals(StringBuilder md, BudgetInputs inputs)
    {
        Line(md, "## Totals per model and number format");
        Line(md, "| model | format | MACs | parameters | parameter bytes | loaded model bytes | peak context bytes | largest activation bytes | best path | time best | MACs/ns | time scalar | MACs/ns scalar |");
        Line(md, "|---|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|");
        foreach (ModelFigures m in inputs.Models)
        {
            Line(md, $"| {m.File} | {Format(m.Format)} | {N(m.Macs)} | {N(m.Parameters)} | {N(m.ParameterBytes)} | {N(m.ModelBytes)} | "
                + $"{N(m.ContextBytes)} | {N(m.LargestActivationBytes)} | {m.BestPath} | {Us(m.BestNanoseconds)} | "
                + $"{F(Timing.MacsPerNanosecond(m.Macs, m.BestNanoseconds), 1)} | {Us(m.ScalarNanoseconds)} | "
                + $"{F(Timing.MacsPerNanosecond(m.Macs, m.ScalarNanoseconds), 2)} |");
        }
        Line(md);
        Line(md, "- *parameter bytes*: as stored (float32: 4 per parameter; int8: 1 per weight + int32 bias, multiplier and shift per");
        Line(md, "  channel). *loaded model bytes*: what the engine keeps (float: plus the Winograd-transformed conv weights;");
        Line(md, "  int8: plus the SIMD-packed copy). *peak context bytes*: one context's scratch, which holds every activation:");
        Line(md, "  the whole working memory of a classification besides the model. The figures are the default plan's; loaded with");
        Line(md, "  `ecl_model_load_with_options` and `ECL_WINOGRAD_OFF` a model keeps no transformed weights, at the direct kernels'");
        Line(md, "  speed (docs/integration.md, \"Memory or speed\", gives both figures per shipped model).");
        Line(md);
    }

    private static void Counts(StringBuilder md, BudgetInputs inputs)
    {
        Line(md, "## Instructions per inference (native library, `ecl_classify`)");
        if (inputs.Counts is null)
        {
            Line(md, $"Not available: `{inputs.CountsSource}` is missing; run `tools/budget/count-instructions.sh`.");
            Line(md);
            return;
        }
        Line(md, $"From `{inputs.CountsSource}`. Per inference = (count with N calls - count with 0 calls) / N, one warm-up call in");
        Line(md, "both; every case counted twice (runs 1 and 2).");
        Line(md);
        Line(md, "| model | target | build | kernels | counter | run 1 | run 2 | spread | instructions per MAC |");
        Line(md, "|---|---|---|---|---|---:|---:|---:|---:|");
        foreach (InstructionCount c in inputs.Counts)
        {
            ModelFigures? m = inputs.Models.FirstOrDefault(x => x.File == c.Model);
            string perMac = m is null ? "" : F(c.PerInference / m.Macs, 3);
            Line(md, $"| {c.Model} | {c.Target} | {c.Build} | {c.Kernels} | {c.Counter} | {N(c.Run1)} | {N(c.Run2)} | {F(c.Spread, 1)} | {perMac} |");
        }
        Line(md);
        Line(md, "- x64 counts are exact (callgrind: run 1 = run 2). arm64 counts come from whole-process counts under");
        Line(md, "  qemu-aarch64, whose translation blocks are counted whole, so each process moves by a few instructions: the");
        Line(md, "  spread column shows it after dividing by N.");
        Line(md, "- `managed-scalar` is the engine's scalar reference kernels (what a core without SIMD runs), counted over");
        Line(md, "  tools/Eclairs.CountInstructions with its own fixed alert.");
        Line(md);
    }

    private static void Libraries(StringBuilder md, BudgetInputs inputs)
    {
        Line(md, "## Native library size");
        var rows = new List<(string What, long Bytes)>();
        if (inputs.Counts is not null)
        {
            foreach (InstructionCount c in inputs.Counts.Where(c => c.LibraryBytes > 0).DistinctBy(c => c.Build))
            {
                rows.Add(($"`{c.Build}` build ({c.Target}) counted above", c.LibraryBytes));
            }
        }
        foreach (LibraryFile l in inputs.Libraries)
        {
            rows.Add(($"`{l.Path}`", l.Bytes));
        }
        if (rows.Count == 0)
        {
            Line(md, "No library found: pass `--native-library <libeclairs_onboard.so>` or build one with `tools/build-native.sh`.");
            Line(md);
            return;
        }
        Line(md, "| library | bytes | MiB |");
        Line(md, "|---|---:|---:|");
        foreach ((string what, long bytes) in rows)
        {
            Line(md, $"| {what} | {N(bytes)} | {F(bytes / 1048576.0, 2)} |");
        }
        Line(md);
        Line(md, "NativeAOT shared libraries, stripped: runtime, GC and engine included; the model is loaded from its file.");
        Line(md);
    }

    private static void Projections(StringBuilder md, BudgetInputs inputs)
    {
        Line(md, "## PROJECTION (not a measurement) to flight-class cores");
        CoreAssumption leon100 = Cores.Leon(100), leon250 = Cores.Leon(250), a53 = Cores.CortexA53;
        Line(md, "Cycles = instructions / IPC; ms = cycles / clock. Assumptions, stated and not measured:");
        Line(md, $"- {leon100.Name} and {leon250.Name}: {leon100.Basis}. Instructions: *scalar reference* = the x64 count of the");
        Line(md, "  engine's scalar kernels above (`managed-scalar`), as a proxy for a SPARC V8 build of the same loops;");
        Line(md, $"  *tight scalar loop* = MACs x {F(Cores.TightScalarInstructionsPerMac, 2)} SPARC V8 instructions (see below).");
        Line(md, $"- {a53.Name}: {a53.Basis}. Instructions: the arm64 count above (the library's own kernels under qemu).");
        Line(md, "- Caches and memory are not modelled: the weights are read once per inference (see *parameter bytes*); a core");
        Line(md, "  whose cache cannot hold them streams them from memory on every inference, which adds to these figures.");
        Line(md);
        if (inputs.Counts is null)
        {
            Line(md, "No instruction counts: nothing to project.");
            Line(md);
            return;
        }
        Line(md, "| model | core | instructions per inference | instructions per MAC | cycles | ms | ms at IPC 1 |");
        Line(md, "|---|---|---:|---:|---:|---:|---:|");
        foreach (ModelFigures m in inputs.Models)
        {
            InstructionCount? scalar = inputs.Counts.FirstOrDefault(c => c.Model == m.File && c.Build == "managed-scalar");
            InstructionCount? arm = inputs.Counts.FirstOrDefault(c => c.Model == m.File && c.Target == "arm64");
            double tight = m.Macs * Cores.TightScalarInstructionsPerMac;
            var rows = new List<(CoreAssumption Core, string Source, double? Instructions)>
            {
                (leon100, "scalar reference", scalar?.PerInference),
                (leon250, "scalar reference", scalar?.PerInference),
                (leon100, "tight scalar loop", tight),
                (leon250, "tight scalar loop", tight),
                (a53, arm?.Kernels ?? "", arm?.PerInference),
            };
            foreach ((CoreAssumption core, string source, double? instructions) in rows)
            {
                if (instructions is not { } n)
                {
                    continue;
                }
                Line(md, $"| {m.File} | {core.Name} ({source}) | {N(n)} | {F(n / m.Macs, 2)} | {N(core.Cycles(n))} | "
                    + $"{F(core.Milliseconds(n), 2)} | {F(n / (core.ClockMHz * 1000.0), 2)} |");
            }
        }
        Line(md);
        Line(md, "Which LEON row to believe: the engine's scalar reference is written for clarity, not speed (accumulators in");
        Line(md, "memory, bounds checks): about 11 x64 instructions per MAC for float and 23 for int8. A tight scalar loop");
        Line(md, $"compiled for SPARC V8 needs {F(Cores.TightScalarInstructionsPerMac, 2)} (`tools/budget/leon-inner-loops.sh`: GCC 12 -O2 -mcpu=leon3, four output");
        Line(md, "channels per pass, 17 instructions per 4 MACs for float and for int8; run under qemu-sparc over 288 taps, call");
        Line(md, "and set-up included, 4.27; outer loops, pooling and requantization not included, so it is a floor). The");
        Line(md, "*tight scalar loop* rows project that; the LEON3 measurement below");
        Line(md, "(portable C, compiled for SPARC, counted under qemu) replaces both when present.");
        Line(md);
    }

    private static void LeonMeasured(StringBuilder md, BudgetInputs inputs)
    {
        Line(md, "## Generated C measured on embedded targets (LEON3, Cortex-M4)");
        if (inputs.Leon is null)
        {
            Line(md, $"Not yet: `{inputs.LeonSource}` does not exist. It comes from the portable C path (`tools/leon3/budget.sh`:");
            Line(md, "`qemu-system-sparc -M leon3_generic` and `qemu-system-arm -M mps2-an386` with the TCG plugin of tools/qemu-plugin);");
            Line(md, "rerun this command once it is there.");
            Line(md);
            return;
        }
        Line(md, $"From `{inputs.LeonSource}` (`tools/leon3/budget.sh`: guest instructions counted by the TCG plugin between marks around each");
        Line(md, "classification; one count for every input, the golden vectors and the extreme inputs; the worst case with every register window full");
        Line(md, "on LEON3). Memory: the kernel objects and the generated model as linked (text: code; rodata: parameters and plan; bss: scratch and");
        Line(md, "working memory). Stack: the worst case `eclairs codegen --stack` computes from -fstack-usage and the call graph.");
        Line(md);
        CoreAssumption leon100 = Cores.Leon(100), leon250 = Cores.Leon(250);
        Line(md, "| target | model | kernels | instructions per inference | inputs | worst case | instructions per MAC | .text | .rodata | .bss | stack bound | fits 64 KiB | ms at 100 MHz (IPC 0.5) | ms at 250 MHz (IPC 0.5) |");
        Line(md, "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|");
        foreach (LeonMeasurement l in inputs.Leon)
        {
            ModelFigures? m = inputs.Models.FirstOrDefault(x => x.File == l.Model || x.Name == l.Model);
            string perMac = m is null ? "" : F(l.InstructionsPerInference / m.Macs, 2);
            Line(md, $"| {l.Target} | {l.Model} | {l.Kernels} | {N(l.InstructionsPerInference)} | {l.Inputs} | {N(l.WorstCaseInstructions)} | {perMac} | {N(l.TextBytes)} | "
                + $"{N(l.RodataBytes)} | {N(l.BssBytes)} | {N(l.StackBytes)} B | {l.Fits64K} | {F(leon100.Milliseconds(l.WorstCaseInstructions), 2)} | "
                + $"{F(leon250.Milliseconds(l.WorstCaseInstructions), 2)} |");
        }
        Line(md);
        Line(md, "The milliseconds project the worst-case count on a LEON-class core (the IPC assumption of the PROJECTION section); the Cortex-M4 rows");
        Line(md, "are the same arithmetic for comparison only (docs/cortex-m4.md sets them against MLPerf Tiny's Cortex-M4 figures).");
        Line(md);
    }

    private static void PerLayer(StringBuilder md, ModelFigures m)
    {
        Line(md, $"## Per layer: {m.File} ({Format(m.Format)}, best path {m.BestPath})");
        Line(md, "| # | layer | output | MACs | parameters | parameter bytes | activation bytes | time | MACs/ns |");
        Line(md, "|---:|---|---|---:|---:|---:|---:|---:|---:|");
        foreach (LayerBudget l in m.Layers)
        {
            string time = "", rate = "";
            if (m.LayerNanoseconds is { } stages)
            {
                double ns = stages.Times[l.Index];
                int owner = stages.Owner[l.Index];
                if (!double.IsNaN(ns))
                {
                    time = Us(ns);
                    rate = l.Macs > 0 ? F(Timing.MacsPerNanosecond(l.Macs, ns), 1) : "";
                }
                else if (owner >= 0)
                {
                    time = $"in #{owner}";
                }
            }
            Line(md, $"| {l.Index} | {l.Layer} | {l.OutputShape} | {N(l.Macs)} | {N(l.Parameters)} | {N(l.ParameterBytes)} | {N(l.ActivationBytes)} | {time} | {rate} |");
        }
        Line(md, $"| | **total** | | **{N(m.Macs)}** | **{N(m.Parameters)}** | **{N(m.ParameterBytes)}** | | **{Us(m.BestNanoseconds)}** | **{F(Timing.MacsPerNanosecond(m.Macs, m.BestNanoseconds), 1)}** |");
        Line(md);
        if (m.LayerNanoseconds is null)
        {
            Line(md, "Per-layer time: not measured (the int8 engine runs whole classifiers only, no prefixes); total measured.");
        }
        else
        {
            Line(md, "Per-layer time = median time of the network cut after the layer minus the cut before it, each cut planned as");
            Line(md, "the engine plans it (fusion, Winograd). The network is not cut between a convolution and the pooling the engine");
            Line(md, "fuses into it: \"in #k\" marks a layer whose time is in row k (the Concatenate row holds the input checks and");
            Line(md, "interleave). Rows are differences of medians: small ones are within noise. The total row is one whole Classify.");
        }
        Line(md);
    }

    private static void Method(StringBuilder md)
    {
        Line(md, "## Method");
        Line(md, "- MACs count padding positions (as usually counted); the float SIMD paths run conv 3x3 layers as Winograd");
        Line(md, "  F(2x2,3x3) with fewer products, so their MACs/ns can exceed the FMA rate.");
        Line(md, "- Activation bytes: one layer's output (Input: SNR float32 + mask byte per pixel).");
        Line(md, "- Logic: tools/Eclairs.Budget (unit-tested in tests/Eclairs.Budget.Tests); command: tools/Eclairs.Cli/Commands/BudgetCommand.cs.");
    }

    private static string Format(NumberFormat f) => f == NumberFormat.Int8 ? "int8" : "float32";

    private static string N(double v) => double.IsNaN(v) ? "" : Math.Round(v).ToString("N0", Inv);

    private static string F(double v, int digits) => double.IsNaN(v) ? "" : v.ToString("N" + digits.ToString(Inv), Inv);

    private static string Us(double ns) => double.IsNaN(ns) ? "" : (ns / 1000).ToString(ns < 10_000 ? "N2" : "N0", Inv) + " us";

    private static void Line(StringBuilder md, string text = "") => md.Append(text).Append('\n');
}
