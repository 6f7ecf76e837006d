using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using Eclairs.Simulation.Formats;

namespace Eclairs.Ground.Ingest;

/// <summary>
/// FITS alerts: the project's own single-alert file (read by <see cref="AlertFitsFile"/>) and the generic form, any
/// file with a 56 x 56 floating-point SNR image (the HDU named SNR, else the first image) and an integer image
/// extension named MASK, NaN allowed where the mask is 0. The generic mapping is a stand-in until the one reader of
/// foreign alert FITS (tools/Eclairs.Simulation/Formats/Fits, issue 20) lands; it reads the optional keywords
/// DATE-OBS (trigger time), BURST_ID, TRIGTYPE, OBS_ID, PEAKSNR, SKY_Y, SKY_Z, OFFAXIS, AZIMUTH.
/// </summary>
public static class FitsAlertReader
{
    public static AlertInput Read(byte[] body)
    {
        IReadOnlyList<FitsHdu> hdus;
        try
        {
            hdus = FitsReader.Read(new MemoryStream(body, writable: false), "request body");
        }
        catch (FitsFormatException e)
        {
            throw new IngestRefusedException($"not a valid FITS file: {e.Message}");
        }
        catch (EndOfStreamException e)
        {
            throw new IngestRefusedException($"not a valid FITS file: {e.Message}");
        }

        if (hdus.Count > 0 && hdus[0].Header.TryGet("ORIGIN", out FitsCard origin) && origin.Value as string == "Eclairs.Onboard")
        {
            return Own(body);
        }

        return Generic(hdus);
    }

    private static AlertInput Own(byte[] body)
    {
        FitsAlert alert;
        try
        {
            alert = AlertFitsFile.Read(new MemoryStream(body, writable: false), "request body");
        }
        catch (FitsFormatException e)
        {
            throw new IngestRefusedException($"not a valid Eclairs.Onboard alert FITS file: {e.Message}");
        }

        if (alert.Side != AlertInput.Side)
        {
            throw new IngestRefusedException($"the SNR image is {alert.Side} x {alert.Side}, not {AlertInput.Side} x {AlertInput.Side}");
        }

        AlertInput.Validate(alert.Snr, alert.Mask);
        string details = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["ORIGIN"] = "Eclairs.Onboard",
            ["CAUSE (simulated)"] = alert.CauseName ?? alert.Cause.ToString(CultureInfo.InvariantCulture),
            ["LABEL (simulated)"] = (int)alert.Label,
        });
        string facts = string.Create(CultureInfo.InvariantCulture, $"{alert.PeakSnr}|{alert.SkyY}|{alert.SkyZ}|{alert.OffAxis}|{alert.Azimuth}");
        return new AlertInput("fits", ContentKey.Of(alert.Snr, alert.Mask, facts), alert.Snr, alert.Mask)
        {
            PeakSnr = alert.PeakSnr,
            SkyY = alert.SkyY,
            SkyZ = alert.SkyZ,
            OffAxis = alert.OffAxis,
            Azimuth = alert.Azimuth,
            Details = details,
        };
    }

    private static AlertInput Generic(IReadOnlyList<FitsHdu> hdus)
    {
        FitsHdu? snrHdu = hdus.FirstOrDefault(h => Name(h) == "SNR") ?? hdus.FirstOrDefault(h => h.Axes.Count == 2 && Name(h) != "MASK");
        FitsHdu? maskHdu = hdus.FirstOrDefault(h => Name(h) == "MASK");
        if (snrHdu is null)
        {
            throw new IngestRefusedException("no 2-D SNR image in the file (an HDU named SNR, or the first image)");
        }

        if (maskHdu is null)
        {
            throw new IngestRefusedException("no image extension named MASK in the file");
        }

        RequireShape(snrHdu, "SNR");
        RequireShape(maskHdu, "MASK");
        float[] snr;
        byte[] mask;
        try
        {
            snr = snrHdu.Bitpix switch
            {
                -32 => snrHdu.GetFloat32(),
                -64 => [.. snrHdu.GetFloat64().Select(v => (float)v)],
                _ => throw new IngestRefusedException($"the SNR image has BITPIX {snrHdu.Bitpix}; it must be floating point (-32 or -64)"),
            };
            long[] maskValues = maskHdu.Bitpix switch
            {
                8 => [.. maskHdu.GetUInt8().Select(v => (long)v)],
                16 => [.. maskHdu.GetInt16().Select(v => (long)v)],
                32 => [.. maskHdu.GetInt32().Select(v => (long)v)],
                64 => maskHdu.GetInt64(),
                _ => throw new IngestRefusedException($"the MASK image has BITPIX {maskHdu.Bitpix}; it must be an integer image"),
            };
            int bad = Array.FindIndex(maskValues, v => v is < 0 or > 3);
            if (bad >= 0)
            {
                throw new IngestRefusedException($"mask value {maskValues[bad]} at row {bad / AlertInput.Side}, column {bad % AlertInput.Side} is not 0..3");
            }

            mask = [.. maskValues.Select(v => (byte)v)];
        }
        catch (FitsFormatException e)
        {
            throw new IngestRefusedException($"unreadable image: {e.Message}");
        }

        AlertInput.Validate(snr, mask);
        FitsHeader h = hdus[0].Header;
        FitsHeader s = snrHdu.Header;
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
        string facts = string.Create(CultureInfo.InvariantCulture, $"{dateObs}|{Text("BURST_ID")}|{type}|{obs}|{Real("PEAKSNR")}|{Real("SKY_Y")}|{Real("SKY_Z")}");
        return new AlertInput("fits", ContentKey.Of(snr, mask, facts), snr, mask)
        {
            TriggerTime = time,
            BurstId = Text("BURST_ID"),
            TriggerType = type,
            ObservationId = obs is null ? null : (long)obs,
            PeakSnr = Real("PEAKSNR"),
            SkyY = Real("SKY_Y"),
            SkyZ = Real("SKY_Z"),
            OffAxis = Real("OFFAXIS"),
            Azimuth = Real("AZIMUTH"),
            Details = JsonSerializer.Serialize(new Dictionary<string, object> { ["FITS form"] = "generic (SNR image + MASK extension)" }),
        };
    }

    private static string? Name(FitsHdu hdu) =>
        hdu.Header.TryGet("EXTNAME", out FitsCard c) ? (c.Value as string)?.Trim().ToUpperInvariant() : null;

    private static void RequireShape(FitsHdu hdu, string what)
    {
        if (hdu.Axes.Count != 2 || hdu.Width != AlertInput.Side || hdu.Height != AlertInput.Side)
        {
            throw new IngestRefusedException($"the {what} image is [{string.Join(" x ", hdu.Axes)}], it must be {AlertInput.Side} x {AlertInput.Side}");
        }
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
