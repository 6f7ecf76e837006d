using System;
using System.Collections.Generic;
using Eclairs.Budget;
using Eclairs.Onboard.Inference;
using Xunit;

namespace Eclairs.Budget.Tests;

public class ReportTests
{
    private static ModelFigures Figures() =>
        new("eclairs-compact-v1.f32", "compact", NumberFormat.Float32, LayerBudgets.For(Architectures.CompactV1(), NumberFormat.Float32),
            null, "Vector512", 100_000, 5_000_000, 300_000, 550_000);

    private static BudgetInputs Inputs(IReadOnlyList<LeonMeasurement>? leon) => new(
        [Figures()],
        [
            new InstructionCount("x64", "managed-scalar", "Scalar-reference", "eclairs-compact-v1.f32", 1, 93_000_000, 93_000_000, 0, "callgrind"),
            new InstructionCount("arm64", "armv8-a", "Vector128-NEON", "eclairs-compact-v1.f32", 10, 4_800_000, 4_800_010, 1_400_000, "qemu"),
        ],
        "docs/instruction-counts.tsv", leon, "docs/leon3-measured.tsv", [new LibraryFile("lib.so", 2_097_152)],
        "test machine", "eclairs budget --out x.md", new DateTime(2026, 11, 25, 18, 0, 0, DateTimeKind.Utc));

    [Fact]
    public void ProjectionRowsCarryTheHandComputedFigures()
    {
        string md = BudgetReport.Render(Inputs(null));
        // 93e6 instructions at IPC 0.5: 186e6 cycles; 1,860 ms at 100 MHz, 744 ms at 250 MHz, 930 ms at IPC 1 / 100 MHz.
        Assert.Contains("| eclairs-compact-v1.f32 | LEON-class 100 MHz (scalar reference) | 93,000,000 | 11.28 | 186,000,000 | 1,860.00 | 930.00 |", md, StringComparison.Ordinal);
        Assert.Contains("| LEON-class 250 MHz (scalar reference) | 93,000,000 | 11.28 | 186,000,000 | 744.00 |", md, StringComparison.Ordinal);
        // Tight loop: 8,242,976 MACs x 17/4 = 35,032,648 instructions, 70,065,296 cycles, 700.65 ms at 100 MHz.
        Assert.Contains("| LEON-class 100 MHz (tight scalar loop) | 35,032,648 | 4.25 | 70,065,296 | 700.65 | 350.33 |", md, StringComparison.Ordinal);
        // 4,800,005 instructions at IPC 0.8: 6,000,006 cycles, 5.00 ms at 1.2 GHz.
        Assert.Contains("| Cortex-A53-class 1.2 GHz (Vector128-NEON) | 4,800,005 | 0.58 | 6,000,006 | 5.00 |", md, StringComparison.Ordinal);
        Assert.Contains("PROJECTION (not a measurement)", md, StringComparison.Ordinal);
        // Headlines: (164,804 + 550,000) B = 0.68 MiB; A53 5.0 ms; LEON 100 MHz 701 ms (tight) .. 1,860 ms (reference).
        Assert.Contains("| eclairs-compact-v1.f32 | float32 | 0.68 MiB | 100 us (Vector512) | 5.0 ms | 701 .. 1,860 ms | not yet |", md, StringComparison.Ordinal);
        Assert.Contains("| 10.0 | 0.582 |", md, StringComparison.Ordinal); // arm64 spread and instructions per MAC
        Assert.Contains("| `lib.so` | 2,097,152 | 2.00 |", md, StringComparison.Ordinal);
        Assert.Contains("| `armv8-a` build (arm64) counted above | 1,400,000 |", md, StringComparison.Ordinal);
        Assert.Contains("Not yet: `docs/leon3-measured.tsv` does not exist", md, StringComparison.Ordinal);
        Assert.StartsWith("# Budget report", md, StringComparison.Ordinal);
        Assert.Contains("eclairs budget --out x.md", md, StringComparison.Ordinal);
        // Totals: 8,242,976 MACs in 100 us = 82.4 per ns.
        Assert.Contains("| 8,242,976 | 41,201 | 164,804 | 300,000 | 550,000 |", md, StringComparison.Ordinal);
        Assert.Contains("| Vector512 | 100 us | 82.4 | 5,000 us | 1.65 |", md, StringComparison.Ordinal);
    }

    [Fact]
    public void LeonMeasuredRowsAreShownWithTheirProjectedTime()
    {
        string md = BudgetReport.Render(Inputs([new LeonMeasurement("leon3", "eclairs-compact-v1.f32", "fast", 50_000_000, 50_000_000, 70, 30_000, 170_000, 600_000, 760, "no")]));
        // 50e6 instructions at IPC 0.5 = 1e8 cycles: 1,000 ms at 100 MHz, 400 ms at 250 MHz; 50e6 / 8,242,976 MACs = 6.07.
        Assert.Contains("| leon3 | eclairs-compact-v1.f32 | fast | 50,000,000 | 70 | 50,000,000 | 6.07 | 30,000 | 170,000 | 600,000 | 760 B | no | 1,000.00 | 400.00 |", md, StringComparison.Ordinal);
        Assert.DoesNotContain("Not yet", md, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingCountsAreSaidNotInvented()
    {
        BudgetInputs inputs = Inputs(null) with { Counts = null, Libraries = [] };
        string md = BudgetReport.Render(inputs);
        Assert.Contains("Not available: `docs/instruction-counts.tsv` is missing", md, StringComparison.Ordinal);
        Assert.Contains("No instruction counts: nothing to project.", md, StringComparison.Ordinal);
        Assert.Contains("No library found", md, StringComparison.Ordinal);
    }
}
