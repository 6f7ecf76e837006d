using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using Eclairs.Ground.Storage;
using Eclairs.Onboard.Telemetry;

namespace Eclairs.Ground.Ingest;

/// <summary>
/// Builds the alert of one observation from its stored packets: the first alert message (lowest Alert_MsgCount) gives
/// the trigger facts, the sub-image parts fill their rows. A part never received leaves its rows at mask 0 and SNR NaN,
/// and the alert is marked incomplete with what is missing; nothing is invented. Duplicates were dropped at storage;
/// order does not matter.
/// </summary>
public static class VhfAssembler
{
    public static string KeyOf(long observationId) => string.Create(CultureInfo.InvariantCulture, $"vhf:{observationId}");

    /// <summary>True when the packets hold an alert message and every part of the sub-image.</summary>
    public static bool IsComplete(IReadOnlyList<DecodedPacket> packets)
    {
        int parts = packets.Where(p => p.Part is not null).Select(p => p.Part!.Value.PartIndex).Distinct().Count();
        int expected = packets.Where(p => p.Part is not null).Select(p => p.Part!.Value.PartCount).DefaultIfEmpty(-1).Max();
        return packets.Any(p => p.Message is not null) && parts == expected;
    }

    public static AlertInput Assemble(long observationId, IReadOnlyList<DecodedPacket> packets)
    {
        var snr = new float[AlertInput.Pixels];
        var mask = new byte[AlertInput.Pixels];
        Array.Fill(snr, float.NaN);
        AlertMessage? message = packets.Where(p => p.Message is not null).Select(p => p.Message!).OrderBy(m => m.MsgCount).FirstOrDefault();
        var parts = packets.Where(p => p.Part is not null).GroupBy(p => p.Part!.Value.PartIndex).Select(g => g.First()).ToList();
        int partCount = parts.Count == 0 ? AlertSequenceWriter.PartsFor(AlertInput.Side) : parts.Max(p => p.Part!.Value.PartCount);
        foreach (DecodedPacket p in parts)
        {
            SubImagePart part = p.Part!.Value;
            part.ReadRows(VhfPacket.Parse(p.Bytes).UserData(p.Bytes), snr, mask);
        }

        var missing = new List<string>();
        if (message is null)
        {
            missing.Add("the alert message");
        }

        int[] absent = [.. Enumerable.Range(0, partCount).Except(parts.Select(p => p.Part!.Value.PartIndex))];
        if (absent.Length > 0)
        {
            missing.Add($"sub-image part{(absent.Length > 1 ? "s" : "")} {string.Join(", ", absent)} of {partCount}");
        }

        int[] counts = [.. packets.Select(p => p.Header.SequenceCount)];
        var details = new Dictionary<string, object?>
        {
            ["packets"] = packets.Count,
            ["sequence counts"] = counts.Length == 0 ? "" : $"{counts.Min()}..{counts.Max()}",
        };
        if (message is not null)
        {
            foreach ((string name, object value) in Fields(message))
            {
                details[name] = value;
            }
        }

        long? t0 = packets.Where(p => p.Message is { MsgCount: 0 }).Select(p => (long?)p.PacketTimeUs).FirstOrDefault();
        return new AlertInput("vhf", KeyOf(observationId), snr, mask)
        {
            ObservationId = observationId,
            TriggerTime = message is null ? null : VhfTime.FromMicroseconds(message.TimeTbAbsMicroseconds),
            TriggerType = message?.TriggerCriterium switch { AlertMessage.ImageTrigger => "IMT", AlertMessage.CountRateTrigger => "CRT", _ => null },
            PeakSnr = message?.SkySnr,
            SkyY = message is null ? null : message.SkyYfit * AlertMessage.FitUnitPixels,
            SkyZ = message is null ? null : message.SkyZfit * AlertMessage.FitUnitPixels,
            OffAxis = message?.OffAxisDeg,
            Azimuth = message?.AzimuthDeg,
            TimescaleSeconds = message is null ? null : message.TimeTbMilliseconds / 1000.0,
            SlewRequested = message is null ? null : message.SlewRequest != 0,
            Incomplete = missing.Count > 0,
            Missing = missing.Count > 0 ? "never received: " + string.Join("; ", missing) : null,
            Details = JsonSerializer.Serialize(details.Concat(t0 is long t ? [new("T0 (packet time of Alert_MsgCount 0)", VhfTime.FromMicroseconds(t).ToString("O", CultureInfo.InvariantCulture))] : Array.Empty<KeyValuePair<string, object?>>())
                .ToDictionary(k => k.Key, k => k.Value)),
        };
    }

    private static IEnumerable<(string, object)> Fields(AlertMessage m)
    {
        yield return ("Alert_MsgCount", m.MsgCount);
        yield return ("Alert_TimeTbAbs", VhfTime.FromMicroseconds(m.TimeTbAbsMicroseconds).ToString("O", CultureInfo.InvariantCulture));
        yield return ("Alert_TimeTb (ms)", m.TimeTbMilliseconds);
        yield return ("Alert_SlewRequest", m.SlewRequest);
        yield return ("Alert_SkyTheta (deg)", Math.Round(m.OffAxisDeg, 4));
        yield return ("Alert_SkyPhi (deg)", Math.Round(m.AzimuthDeg, 4));
        yield return ("Alert_CatSrcNum", m.CatSrcNum);
        yield return ("Alert_SkyYpix", m.SkyYpix);
        yield return ("Alert_SkyZpix", m.SkyZpix);
        yield return ("Alert_SkyYfit (pix)", m.SkyYfit * AlertMessage.FitUnitPixels);
        yield return ("Alert_SkyZfit (pix)", m.SkyZfit * AlertMessage.FitUnitPixels);
        yield return ("Alert_SkyCnt", m.SkyCnt);
        yield return ("Alert_SkyCntFit", m.SkyCntFit);
        yield return ("Alert_SkyVar", m.SkyVar);
        yield return ("Alert_Quality", m.Quality);
        yield return ("Alert_TriggerCriterium", m.TriggerCriterium);
        yield return ("Alert_DetCounts", m.DetCounts);
        yield return ("Alert_DetBkg", m.DetBkg);
        yield return ("Sat_Position (km)", $"{m.SatX.ToString(CultureInfo.InvariantCulture)}, {m.SatY.ToString(CultureInfo.InvariantCulture)}, {m.SatZ.ToString(CultureInfo.InvariantCulture)}");
        yield return ("Sat_Attitude Q0..Q3", $"{m.Q0.ToString(CultureInfo.InvariantCulture)}, {m.Q1.ToString(CultureInfo.InvariantCulture)}, {m.Q2.ToString(CultureInfo.InvariantCulture)}, {m.Q3.ToString(CultureInfo.InvariantCulture)}");
        yield return ("Sat_AttQuality", m.AttQuality);
        yield return ("Sat_AttRef", m.AttRef);
    }
}
