using System;
using System.Collections.Generic;
using System.IO;

namespace Eclairs.Simulation.Formats;

/// <summary>
/// The single-alert FITS layout of docs/file-formats.md: primary HDU = SNR sub-image (BITPIX -32) with the alert's
/// keywords, one IMAGE extension EXTNAME = 'MASK' (BITPIX 8). astropy: fits.open(f)[0].data[row, column].
/// </summary>
public static class AlertFitsFile
{
    public const string MaskExtensionName = "MASK";

    public static void Write(FitsAlert alert, string path)
    {
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        Write(alert, file);
    }

    public static void Write(FitsAlert alert, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(alert);
        if (alert.Label > AlertLabel.Unclear)
        {
            throw new ArgumentException($"label {(byte)alert.Label} is not 0, 1 or 2", nameof(alert));
        }

        int badMask = alert.Mask.AsSpan().IndexOfAnyExceptInRange((byte)0, AlertDataset.MaxMaskValue);
        if (badMask >= 0)
        {
            throw new ArgumentException($"mask value {alert.Mask[badMask]} at pixel {badMask} is not 0..3", nameof(alert));
        }

        FitsHdu snr = FitsHdu.Image(alert.Snr, alert.Side, alert.Side);
        snr.Header
            .Add("EXTNAME", "SNR", "signal-to-noise ratio sub-image")
            .Add("ORIGIN", "Eclairs.Onboard", "written by tools/Eclairs.Simulation")
            .Add("PEAKSNR", alert.PeakSnr, "SNR of the trigger pixel")
            .Add("SKY_Y", alert.SkyY, "[pixel] trigger column in the full sky image")
            .Add("SKY_Z", alert.SkyZ, "[pixel] trigger row in the full sky image")
            .Add("OFFAXIS", alert.OffAxis, "[deg] angle from the pointing axis")
            .Add("AZIMUTH", alert.Azimuth, "[deg] azimuth around the pointing axis")
            .Add("CAUSE", (long)alert.Cause, "cause code (docs/file-formats.md)");
        if (alert.CauseName is not null)
        {
            snr.Header.Add("CAUSENAM", alert.CauseName, "cause name");
        }

        snr.Header
            .Add("LABEL", (long)alert.Label, "0 false, 1 true, 2 unclear")
            .AddComment($"Sub-image of {alert.Side} x {alert.Side} SNR pixels; the trigger pixel is at row {alert.Side / 2}, column {alert.Side / 2} (0-based), FITS pixel ({alert.Side / 2 + 1}, {alert.Side / 2 + 1}).")
            .AddComment("The MASK extension flags each pixel: 0 ignore (missing or outside the field), 1 background, 2 known source, 3 trigger pixel.");

        FitsHdu mask = FitsHdu.Image(alert.Mask, alert.Side, alert.Side);
        mask.Header
            .Add("EXTNAME", MaskExtensionName, "pixel mask of the SNR image")
            .AddComment("0 ignore, 1 background, 2 known source, 3 trigger pixel");
        FitsWriter.Write(stream, [snr, mask]);
    }

    public static FitsAlert Read(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return Read(file, path);
    }

    /// <summary>
    /// Reads a file of this layout back, strictly: the images through <see cref="AlertFitsReader"/> (the one reader of
    /// alert FITS, here with the MASK extension required), then every keyword the writer writes.
    /// </summary>
    public static FitsAlert Read(Stream stream, string? sourceName = null)
    {
        IReadOnlyList<FitsHdu> hdus = FitsReader.Read(stream, sourceName);
        FitsFormatException Fail(int hdu, string detail, Exception? inner = null) => new(sourceName, hdu, AlertFitsProblem.Keyword, detail, inner);
        FitsHdu primary = hdus[0];
        if (primary.Bitpix != -32 || primary.Axes.Count != 2 || primary.Width != primary.Height || primary.Width == 0)
        {
            throw new FitsFormatException(sourceName, 0, AlertFitsProblem.ImageType,
                $"the primary image must be a square float32 image (BITPIX -32), found BITPIX {primary.Bitpix} with axes [{string.Join(", ", primary.Axes)}]");
        }

        ImportedAlert alert = AlertFitsReader.FromHdus(hdus, sourceName, new AlertFitsReadOptions { Side = primary.Width, RequireMaskExtension = true });
        if (alert.SnrHdu != 0 || hdus.Count < 2 || hdus[1].Bitpix != 8)
        {
            throw new FitsFormatException(sourceName, 1, AlertFitsProblem.MaskExtension, "the second HDU must be the 8-bit MASK extension");
        }

        FitsHeader h = primary.Header;
        try
        {
            long label = h.GetInteger("LABEL");
            long cause = h.GetInteger("CAUSE");
            if (label is < 0 or > 2 || cause is < 0 or > 255)
            {
                throw Fail(0, $"LABEL {label} must be 0..2 and CAUSE {cause} 0..255");
            }

            return new FitsAlert(alert.Side, alert.Snr, alert.Mask)
            {
                PeakSnr = (float)h.GetReal("PEAKSNR"),
                SkyY = (float)h.GetReal("SKY_Y"),
                SkyZ = (float)h.GetReal("SKY_Z"),
                OffAxis = (float)h.GetReal("OFFAXIS"),
                Azimuth = (float)h.GetReal("AZIMUTH"),
                Cause = (byte)cause,
                CauseName = h.Contains("CAUSENAM") ? h.GetText("CAUSENAM") : null,
                Label = (AlertLabel)label,
            };
        }
        catch (KeyNotFoundException e)
        {
            throw Fail(0, e.Message, e);
        }
        catch (FitsFormatException e) when (e.HduIndex < 0)
        {
            throw Fail(0, e.Message, e);
        }
    }
}
