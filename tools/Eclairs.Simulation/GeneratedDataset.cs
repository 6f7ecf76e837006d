using System;
using System.Collections.Generic;
using System.Linq;
using Eclairs.Simulation.Formats;

namespace Eclairs.Simulation;

/// <summary>A generated data set: the alerts with their truth, and what it cost to get them.</summary>
public sealed class GeneratedDataset
{
    /// <summary>Quality flags have four bits: 16 combinations.</summary>
    public const int FlagCombinations = 16;

    internal GeneratedDataset(DatasetPreset preset, ulong seed, SimulatedAlert[] alerts, int[] attempts, int[][] rejectedFlags)
    {
        Preset = preset;
        Seed = seed;
        Alerts = alerts;
        Attempts = attempts;
        RejectedFlags = rejectedFlags;
    }

    public DatasetPreset Preset { get; }
    public ulong Seed { get; }

    /// <summary>Which part of the preset's slots this is (<see cref="DatasetShard.Whole"/> for a whole run).</summary>
    public DatasetShard Shard { get; init; } = DatasetShard.Whole;

    /// <summary>Slot index of the first alert.</summary>
    public int FirstSlot { get; init; }

    /// <summary>Thread time per simulation phase over every observation of the run.</summary>
    public SimulationProfile Profile { get; init; } = new();

    /// <summary>Accepted alerts in slot order.</summary>
    public IReadOnlyList<SimulatedAlert> Alerts { get; }

    /// <summary>Observations simulated per slot (1 = the first one was accepted).</summary>
    public IReadOnlyList<int> Attempts { get; }

    /// <summary>Per slot, how many rejected attempts carried each quality-flag combination (0 = raised but with another label or partial).</summary>
    public IReadOnlyList<int[]> RejectedFlags { get; }

    public int TotalAttempts => Attempts.Sum();

    /// <summary>The alerts in the npz layout (docs/file-formats.md).</summary>
    public AlertDataset ToDataset()
    {
        AlertDataset dataset = AlertDataset.Allocate(Alerts.Count);
        for (int i = 0; i < Alerts.Count; i++)
        {
            SimulatedAlert a = Alerts[i];
            a.Snr.CopyTo(dataset.SnrOf(i));
            a.Mask.CopyTo(dataset.MaskOf(i));
            dataset.Label[i] = (byte)a.Label;
            dataset.Cause[i] = (byte)a.Cause;
            dataset.PeakSnr[i] = a.PeakSnr;
            dataset.Partial[i] = a.Partial ? (byte)1 : (byte)0;
            dataset.SkyY[i] = a.SkyY;
            dataset.SkyZ[i] = a.SkyZ;
            dataset.OffAxis[i] = a.OffAxisDeg;
            dataset.Azimuth[i] = a.AzimuthDeg;
            dataset.Band[i] = (byte)a.Band;
            dataset.Criterion[i] = (byte)a.Criterion;
        }

        return dataset;
    }

    /// <summary>Per cause: alerts kept, observations simulated, and the yield (kept / simulated).</summary>
    public IReadOnlyList<CauseYield> Yields()
    {
        var result = new List<CauseYield>();
        foreach (IGrouping<AlertCause, int> group in Enumerable.Range(0, Alerts.Count).GroupBy(i => Alerts[i].Cause).OrderBy(g => g.Key))
        {
            int kept = group.Count();
            int simulated = group.Sum(i => Attempts[i]);
            var flags = new int[FlagCombinations];
            foreach (int i in group)
            {
                for (int f = 0; f < FlagCombinations; f++)
                {
                    flags[f] += RejectedFlags[i][f];
                }
            }

            result.Add(new CauseYield(group.Key, kept, simulated, flags));
        }

        return result;
    }
}

/// <summary>How often one cause's observations gave a usable alert.</summary>
/// <param name="Cause">The cause.</param>
/// <param name="Kept">Alerts kept.</param>
/// <param name="Simulated">Observations simulated for them.</param>
/// <param name="RejectedFlags">Rejected observations per quality-flag combination.</param>
public sealed record CauseYield(AlertCause Cause, int Kept, int Simulated, IReadOnlyList<int> RejectedFlags)
{
    public double Yield => Simulated == 0 ? 0 : (double)Kept / Simulated;
}
