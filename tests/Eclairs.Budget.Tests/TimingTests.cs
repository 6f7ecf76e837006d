using System;
using Eclairs.Budget;
using Xunit;

namespace Eclairs.Budget.Tests;

public class TimingTests
{
    [Fact]
    public void MedianOfOddAndEvenCountsLeavesTheSamplesAlone()
    {
        double[] odd = [5, 1, 9, 3, 7];
        Assert.Equal(5, Timing.Median(odd));
        Assert.Equal([5.0, 1, 9, 3, 7], odd);
        Assert.Equal(4.5, Timing.Median([8, 1, 4, 5]));
        Assert.Equal(2, Timing.Median([2]));
        Assert.Throws<ArgumentException>(() => Timing.Median([]));
    }

    [Fact]
    public void StagesGoToTheirFirstLayerWithMacsElseTheirLast()
    {
        // Layers: Input, Concatenate, Conv (fused with the pool after it, no cut between), Pool, Flatten, Dense.
        double[] prefixes = [double.NaN, 10, double.NaN, 50, 52, 60];
        long[] macs = [0, 0, 100, 0, 0, 40];
        StageTimes stages = Timing.PerLayer(prefixes, macs);
        Assert.Equal(new[] { -1.0, 10, 40, -1, 2, 8 }, Replace(stages.Times));
        Assert.Equal(new[] { 1, 1, 2, 2, 4, 5 }, stages.Owner);
    }

    [Fact]
    public void LayersAfterTheLastCutOwnNothingAndNoiseStaysVisible()
    {
        StageTimes stages = Timing.PerLayer([double.NaN, 10, 7, double.NaN], [0, 0, 5, 0]);
        Assert.Equal(new[] { -1.0, 10, -3, -1 }, Replace(stages.Times));
        Assert.Equal(new[] { 1, 1, 2, -1 }, stages.Owner);
        Assert.Throws<ArgumentException>(() => Timing.PerLayer([1.0], [1, 2]));
    }

    [Fact]
    public void MacsPerNanosecond()
    {
        Assert.Equal(73.3, Timing.MacsPerNanosecond(17_862_784, 243_694), 1);
        Assert.True(double.IsNaN(Timing.MacsPerNanosecond(5, 0)));
    }

    [Fact]
    public void ProjectionDividesByIpcAndClock()
    {
        var core = new CoreAssumption("test", 100, 0.5, "");
        Assert.Equal(2_000_000, core.Cycles(1_000_000));
        Assert.Equal(20.0, core.Milliseconds(1_000_000), 12); // 2e6 cycles at 1e8 per second
        Assert.Equal(2.5, Cores.CortexA53.Milliseconds(2_400_000), 12); // 3e6 cycles at 1.2e9 per second
        Assert.Equal(0.5, Cores.Leon(250).InstructionsPerCycle);
        Assert.Throws<ArgumentOutOfRangeException>(() => core.Cycles(-1));
    }

    private static double[] Replace(System.Collections.Generic.IReadOnlyList<double> v)
    {
        var r = new double[v.Count];
        for (int i = 0; i < r.Length; i++)
        {
            r[i] = double.IsNaN(v[i]) ? -1 : v[i];
        }
        return r;
    }
}
