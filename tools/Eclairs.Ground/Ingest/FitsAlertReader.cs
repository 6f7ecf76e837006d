using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using Eclairs.Simulation.Formats;

namespace Eclairs.Ground.Ingest;

/// <summary>
/// FITS alerts, read by the project's one reader of alert FITS (<see cref="AlertFitsReader"/>, docs/file-formats.md):
/// the project's own single-alert file and any file with a 56 x 56 floating-point SNR image (the HDU named SNR, else
/// the first image) and an image extension named MASK, NaN allowed where the mask is 0. The service asks for the MASK
/// extension (a mask guessed from NaN and keywords is not what a Burst Advocate should judge) and takes these
/// optional keywords besides the reader's: DATE-OBS (trigger time), BURST_ID, TRIGTYPE, OBS_ID, PEAKSNR.
/// </summary>
public static class FitsAlertReader
{
    private static readonly AlertFitsReadOptions Options = new() { RequireMaskExtension = true };

    public static AlertInput Read(byte[] body)
    {
        IReadOnlyList<FitsHdu> hdus;
        ImportedAlert alert;
        try
        {
            hdus = FitsReader.Read(new MemoryStream(body, writable: false), "request body");
            alert = AlertFitsReader.FromHdus(hdus, "request body", Options);
        }
        catch (FitsFormatException e)
        {
            throw new IngestRefusedException($"not a valid alert FITS file: {e.Message}");
        }
        catch (EndOfStreamException e)
        {
            throw new IngestRefusedException($"not a valid alert FITS file: {e.Message}");
        }

        AlertInput.Validate(alert.Snr, alert.Mask);
        FitsHeader h = hdus[0].Header;
        FitsHeader s = hdus[alert.SnrHdu].Header;
        double? Real(string key) => Number(s, key) ?? Number(h, key);
        string? Text(string key) => TextOf(s, key) ?? TextOf(h, key);
        DateTimeOffset? time = null;
        string? dateObs = Text("DATE-OBS");
        if (dateObs is not null)
        {
            time = DateTimeOffset.TryParse(dateObs, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset t)
                ? t
                : throw new IngestRefusedException($"DATE-OBS '{dateObs}' is not an ISO-8601 time");
        }

        string? type = Text("TRIGTYPE");
        if (type is not null and not ("IMT" or "CRT"))
        {
            throw new IngestRefusedException($"TRIGTYPE '{type}' is neither IMT nor CRT");
        }

        double? obs = Real("OBS_ID");
        var details = new Dictionary<string, object> { ["FITS SNR HDU"] = alert.SnrHdu };
        if (alert.CauseName is not null || alert.Cause is not null)
        {
            details["CAUSE (simulated)"] = alert.CauseName ?? alert.Cause!.Value.ToString(CultureInfo.InvariantCulture);
        }

        if (alert.Label is AlertLabel label)
        {
            details["LABEL (simulated)"] = (int)label;
        }

        foreach ((string note, int i) in alert.Notes.Select((n, i) => (n, i)))
        {
            details[$"reader note {i + 1}"] = note;
        }

        static double? Finite(float v) => float.IsFinite(v) ? v : null;
        string facts = string.Create(CultureInfo.InvariantCulture, $"{dateObs}|{Text("BURST_ID")}|{type}|{obs}|{Real("PEAKSNR")}|{alert.SkyY}|{alert.SkyZ}|{alert.OffAxis}|{alert.Azimuth}");
        return new AlertInput("fits", ContentKey.Of(alert.Snr, alert.Mask, facts), alert.Snr, alert.Mask)
        {
            TriggerTime = time,
            BurstId = Text("BURST_ID"),
            TriggerType = type,
            ObservationId = obs is null ? null : (long)obs,
            PeakSnr = Real("PEAKSNR") ?? Finite(alert.PeakSnr),
            SkyY = Finite(alert.SkyY),
            SkyZ = Finite(alert.SkyZ),
            OffAxis = Finite(alert.OffAxis),
            Azimuth = Finite(alert.Azimuth),
            Details = JsonSerializer.Serialize(details),
        };
    }

    private static double? Number(FitsHeader h, string key) =>
        h.TryGet(key, out FitsCard c) ? c.Value switch
        {
            double d when double.IsFinite(d) => d,
            long l => l,
            _ => throw new IngestRefusedException($"keyword {key} must be a finite number"),
        } : null;

    private static string? TextOf(FitsHeader h, string key) =>
        h.TryGet(key, out FitsCard c) ? c.Value as string ?? throw new IngestRefusedException($"keyword {key} must be a string") : null;
}
