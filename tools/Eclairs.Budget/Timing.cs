using System;
using System.Collections.Generic;

namespace Eclairs.Budget;

/// <summary>Statistics of the short in-process timing.</summary>
public static class Timing
{
    /// <summary>Median (mean of the two middle values for an even count). Does not modify <paramref name="samples"/>.</summary>
    public static double Median(IReadOnlyList<double> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Count == 0)
        {
            throw new ArgumentException("the median of no samples is undefined", nameof(samples));
        }
        var sorted = new double[samples.Count];
        for (int i = 0; i < sorted.Length; i++)
        {
            sorted[i] = samples[i];
        }
        Array.Sort(sorted);
        int mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /// <summary>
    /// Per-layer times from the times of the network's prefixes. <paramref name="prefixTimes"/>[i] is the time of the
    /// first i + 1 layers, or NaN where the network was not cut (a pooling fused into the convolution before it, the
    /// bare Input layer). Consecutive layers up to a timed cut form a stage; the stage's time (this cut minus the
    /// previous one; noise can make it negative) goes to its first layer with MACs, else its last layer, and
    /// <see cref="StageTimes.Owner"/> tells every layer which row holds its time.
    /// </summary>
    public static StageTimes PerLayer(IReadOnlyList<double> prefixTimes, IReadOnlyList<long> macs)
    {
        ArgumentNullException.ThrowIfNull(prefixTimes);
        ArgumentNullException.ThrowIfNull(macs);
        if (macs.Count != prefixTimes.Count)
        {
            throw new ArgumentException("one MAC count per layer is needed", nameof(macs));
        }
        int count = prefixTimes.Count;
        var times = new double[count];
        var owner = new int[count];
        Array.Fill(times, double.NaN);
        Array.Fill(owner, -1);
        double previous = 0;
        int stageStart = 0;
        for (int i = 0; i < count; i++)
        {
            if (double.IsNaN(prefixTimes[i]))
            {
                continue;
            }
            int holder = i;
            for (int j = stageStart; j <= i; j++)
            {
                if (macs[j] > 0)
                {
                    holder = j;
                    break;
                }
            }
            times[holder] = prefixTimes[i] - previous;
            for (int j = stageStart; j <= i; j++)
            {
                owner[j] = holder;
            }
            previous = prefixTimes[i];
            stageStart = i + 1;
        }
        return new StageTimes(times, owner);
    }

    /// <summary>MACs per nanosecond; NaN when the time is not positive.</summary>
    public static double MacsPerNanosecond(long macs, double nanoseconds) =>
        nanoseconds > 0 ? macs / nanoseconds : double.NaN;
}

/// <summary>Per-layer times: <see cref="Times"/>[i] is NaN unless layer i holds its stage's time;
/// <see cref="Owner"/>[i] is the layer holding the time of layer i's stage (-1 after the last timed cut).</summary>
public sealed record StageTimes(IReadOnlyList<double> Times, IReadOnlyList<int> Owner);
