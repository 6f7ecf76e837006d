using System;
using System.Collections.Generic;
using System.IO;
using Eclairs.Ground.Storage;
using Eclairs.Simulation.Formats;

namespace Eclairs.Ground;

/// <summary>
/// Verdicts as training data: every judged alert in the project's npz layout (docs/file-formats.md), its label from
/// the latest verdict (0 false, 1 true, 2 unclear), cause 0 (a real alert has no simulated cause), unknown trigger
/// facts as NaN. What <c>GET /api/verdicts.npz</c> and <c>eclairs verdicts</c> write.
/// </summary>
public static class VerdictExport
{
    public static int Write(AlertStore alerts, VerdictStore verdicts, Stream output)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        ArgumentNullException.ThrowIfNull(verdicts);
        IReadOnlyList<StoredVerdict> latest = verdicts.Latest();
        AlertDataset set = AlertDataset.Allocate(latest.Count);
        for (int i = 0; i < latest.Count; i++)
        {
            StoredAlert a = alerts.Get(latest[i].AlertId)!;
            a.Snr.AsSpan().CopyTo(set.SnrOf(i));
            a.Mask.AsSpan().CopyTo(set.MaskOf(i));
            set.Label[i] = (byte)latest[i].Verdict;
            set.Cause[i] = 0;
            set.PeakSnr[i] = (float)(a.PeakSnr ?? double.NaN);
            set.SkyY[i] = (float)(a.SkyY ?? double.NaN);
            set.SkyZ[i] = (float)(a.SkyZ ?? double.NaN);
            set.OffAxis[i] = (float)(a.OffAxis ?? double.NaN);
            set.Azimuth[i] = (float)(a.Azimuth ?? double.NaN);
        }

        set.ComputePartial();
        AlertDatasetFile.Write(set, output);
        return latest.Count;
    }
}
