using System;

namespace Eclairs.Budget;

/// <summary>An assumed target core: clock and sustained instructions per cycle, with where the figures come from.</summary>
public sealed record CoreAssumption(string Name, double ClockMHz, double InstructionsPerCycle, string Basis)
{
    /// <summary>Cycles for <paramref name="instructions"/> at the assumed IPC.</summary>
    public double Cycles(double instructions)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(instructions);
        return instructions / InstructionsPerCycle;
    }

    /// <summary>Milliseconds for <paramref name="instructions"/> at the assumed IPC and clock.</summary>
    public double Milliseconds(double instructions) => Cycles(instructions) / (ClockMHz * 1000.0);
}

/// <summary>The cores the report projects to (the assumptions are stated in the report next to the figures).</summary>
public static class Cores
{
    /// <summary>Single-issue SPARC V8 with an FPU and no SIMD. IPC 0.5: load-use and FPU dependency stalls and cache
    /// misses (a LEON3 issues at most one instruction per cycle; dependent FP operations wait several cycles).</summary>
    public static CoreAssumption Leon(double clockMHz) =>
        new($"LEON-class {clockMHz:0} MHz", clockMHz, 0.5, "single issue, no SIMD; IPC 0.5 assumed (1.0 is the hard ceiling)");

    /// <summary>
    /// SPARC V8 instructions per MAC of a tight scalar convolution loop (four output channels per pass, accumulators in
    /// registers; float32 and int8 alike), counted by tools/budget/leon-inner-loops.sh in GCC 12's -O2 -mcpu=leon3 code:
    /// 17 instructions per 4 MACs. What a scalar kernel written for a LEON would cost, against ~11 (float) and ~23
    /// (int8) x64 instructions per MAC of the engine's scalar reference.
    /// </summary>
    public const double TightScalarInstructionsPerMac = 17.0 / 4;

    /// <summary>Cortex-A53: dual-issue in order, one 64-bit NEON pipe per cycle for FP multiply-add (4 FP32 lanes
    /// every 2 cycles). IPC 0.8 assumed for this mix of loads and NEON multiply-adds.</summary>
    public static CoreAssumption CortexA53 { get; } =
        new("Cortex-A53-class 1.2 GHz", 1200, 0.8, "dual issue in order; IPC 0.8 assumed (2.0 is the ceiling)");
}
