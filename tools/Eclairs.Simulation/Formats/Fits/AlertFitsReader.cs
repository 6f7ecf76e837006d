using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;

namespace Eclairs.Simulation.Formats;

/// <summary>
/// The one reader of alert FITS files, ours and those made elsewhere (docs/file-formats.md, "Alert FITS from
/// elsewhere"): a side x side SNR image (BITPIX -32 or -64; in the primary HDU or an IMAGE extension, EXTNAME 'SNR'
/// preferred) with NaN outside the field of view, and either a MASK image extension (values 0..3) or header
/// keywords from which the deck's mask is built: TRIGX/TRIGY for the trigger pixel, KNOWNnX/KNOWNnY[/KNOWNnR] for
/// known sources. Gzip-compressed files are inflated first. Every refusal is a <see cref="FitsFormatException"/>
/// naming the file, the HDU, what is wrong (<see cref="FitsFormatException.Problem"/>) and where.
/// Used by <c>eclairs import-alerts</c> and by the ground service's FITS ingest.
/// </summary>
public static class AlertFitsReader
{
    public const string SnrExtensionName = "SNR";
    public const string MaskExtensionName = "MASK";

    /// <summary>Largest |SNR| the engine accepts where the mask is set (ICD ECL_MAX_ABS_SNR).</summary>
    public const float MaxAbsSnr = 1e6f;

    /// <summary>Most known sources read from keywords (KNOWN1X .. KNOWN99X).</summary>
    public const int MaxKnownSources = 99;

    private const byte MaskIgnore = 0, MaskBackground = 1, MaskKnownSource = 2, MaskTrigger = 3;

    public static ImportedAlert Read(string path, AlertFitsReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return Read(file, path, options);
    }

    /// <summary>Reads a whole stream (at most <see cref="AlertFitsReadOptions.MaxBytes"/>), gzip or not.</summary>
    public static ImportedAlert Read(Stream stream, string? sourceName = null, AlertFitsReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        options ??= AlertFitsReadOptions.Default;
        using var copy = new MemoryStream();
        CopyAtMost(stream, copy, options.MaxBytes, sourceName, AlertFitsProblem.Structure);
        return Read(copy.GetBuffer().AsSpan(0, (int)copy.Length), sourceName, options);
    }

    public static ImportedAlert Read(ReadOnlySpan<byte> bytes, string? sourceName = null, AlertFitsReadOptions? options = null)
    {
        options ??= AlertFitsReadOptions.Default;
        options.Validate();
        if (bytes.Length > options.MaxBytes)
        {
            throw new FitsFormatException(sourceName, -1, AlertFitsProblem.Structure, $"{bytes.Length} bytes is more than the {options.MaxBytes} accepted for one alert");
        }

        byte[] fits = bytes.Length >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B ? Inflate(bytes, sourceName, options.MaxBytes) : bytes.ToArray();
        return FromHdus(FitsReader.Read(new MemoryStream(fits, writable: false), sourceName), sourceName, options);
    }

    /// <summary>Interprets HDUs already read (by <see cref="FitsReader"/>) as one alert.</summary>
    public static ImportedAlert FromHdus(IReadOnlyList<FitsHdu> hdus, string? sourceName = null, AlertFitsReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(hdus);
        options ??= AlertFitsReadOptions.Default;
        options.Validate();
        var notes = new List<string>();
        int side = options.Side;
        int snrIndex = FindSnrHdu(hdus, sourceName);
        FitsHdu snrHdu = hdus[snrIndex];
        FitsFormatException Fail(int hdu, AlertFitsProblem problem, string detail) => new(sourceName, hdu, problem, detail);

        List<int> axes = Squeezed(snrHdu.Axes);
        if (axes.Count != 2 || axes[0] != side || axes[1] != side)
        {
            throw Fail(snrIndex, AlertFitsProblem.ImageShape, $"the SNR image is [{string.Join(" x ", snrHdu.Axes)}] pixels (NAXISn), not {side} x {side}");
        }

        float[] snr = ReadSnr(snrHdu, snrIndex, notes, Fail);
        var keywords = new Keywords(hdus, snrIndex, sourceName);
        (int Row, int Column)? keywordTrigger = keywords.Trigger(side);

        int maskIndex = FindMaskHdu(hdus, snrIndex);
        if (maskIndex < 0 && options.RequireMaskExtension)
        {
            throw Fail(-1, AlertFitsProblem.MaskExtension, $"no image extension with EXTNAME = '{MaskExtensionName}'");
        }

        byte[] mask;
        (int Row, int Column) trigger;
        int knownSources = 0;
        if (maskIndex >= 0)
        {
            mask = ReadMask(hdus[maskIndex], maskIndex, side, Fail);
            trigger = TriggerFromMask(mask, side, keywordTrigger, maskIndex, notes, Fail);
            CheckSnrWhereMasked(snr, mask, side, snrIndex, Fail);
            if (keywords.HasKnownSources)
            {
                notes.Add("known-source keywords ignored: the MASK extension gives the mask");
            }
        }
        else
        {
            mask = MaskFromImage(snr, side, snrIndex, Fail);
            List<(double X, double Y, double R)> sources = keywords.KnownSources(options.KnownSourceRadius);
            knownSources = sources.Count;
            MarkKnownSources(mask, side, sources);
            if (keywordTrigger is null)
            {
                notes.Add("no TRIGX/TRIGY keywords: trigger pixel taken at the centre");
            }

            trigger = keywordTrigger ?? (side / 2, side / 2);
            if (mask[(trigger.Row * side) + trigger.Column] == MaskIgnore)
            {
                throw Fail(snrIndex, AlertFitsProblem.TriggerOutsideField,
                    $"the trigger pixel (row {trigger.Row}, column {trigger.Column}) holds NaN: it is outside the field of view");
            }

            mask[(trigger.Row * side) + trigger.Column] = MaskTrigger;
        }

        if (trigger != (side / 2, side / 2))
        {
            if (!options.Recentre)
            {
                throw Fail(maskIndex >= 0 ? maskIndex : snrIndex, AlertFitsProblem.TriggerOffCentre,
                    $"the trigger pixel is at row {trigger.Row}, column {trigger.Column}, not at the centre ({side / 2}, {side / 2}); recentring is off");
            }

            (snr, mask) = Recentre(snr, mask, side, trigger);
            notes.Add($"recentred: the trigger pixel was at row {trigger.Row}, column {trigger.Column}");
        }

        return new ImportedAlert(side, snr, mask)
        {
            TriggerInFile = trigger,
            SnrHdu = snrIndex,
            MaskSource = maskIndex >= 0 ? AlertMaskSource.Extension : AlertMaskSource.Keywords,
            KnownSources = knownSources,
            Label = keywords.Label(),
            Cause = keywords.Cause(),
            CauseName = keywords.Text("CAUSENAM"),
            SkyY = keywords.Real("SKY_Y"),
            SkyZ = keywords.Real("SKY_Z"),
            OffAxis = keywords.Real("OFFAXIS"),
            Azimuth = keywords.Real("AZIMUTH"),
            Notes = notes,
        };
    }

    private static int FindSnrHdu(IReadOnlyList<FitsHdu> hdus, string? sourceName)
    {
        int firstImage = -1;
        for (int i = 0; i < hdus.Count; i++)
        {
            FitsHdu hdu = hdus[i];
            bool image = hdu.PixelCount > 0 && (i == 0 || hdu.ExtensionType?.Trim() == "IMAGE");
            if (!image)
            {
                continue;
            }

            string? name = ExtensionName(hdu);
            if (string.Equals(name, SnrExtensionName, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }

            if (firstImage < 0 && !string.Equals(name, MaskExtensionName, StringComparison.OrdinalIgnoreCase))
            {
                firstImage = i;
            }
        }

        return firstImage >= 0
            ? firstImage
            : throw new FitsFormatException(sourceName, -1, AlertFitsProblem.NoImage,
                $"none of the {hdus.Count} HDUs holds an SNR image (an image HDU with pixels, EXTNAME 'SNR' or the first one not named 'MASK')");
    }

    private static int FindMaskHdu(IReadOnlyList<FitsHdu> hdus, int snrIndex)
    {
        for (int i = 0; i < hdus.Count; i++)
        {
            if (i != snrIndex && string.Equals(ExtensionName(hdus[i]), MaskExtensionName, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }

    private static string? ExtensionName(FitsHdu hdu) =>
        hdu.Header.TryGet("EXTNAME", out FitsCard card) && card.Value is string s ? s.Trim() : null;

    /// <summary>The axes without trailing length-1 axes (a 56 x 56 x 1 cube is a 56 x 56 image).</summary>
    private static List<int> Squeezed(IReadOnlyList<int> axes)
    {
        var kept = new List<int>(axes);
        while (kept.Count > 2 && kept[^1] == 1)
        {
            kept.RemoveAt(kept.Count - 1);
        }

        return kept;
    }

    private static float[] ReadSnr(FitsHdu hdu, int index, List<string> notes, Func<int, AlertFitsProblem, string, FitsFormatException> fail)
    {
        try
        {
            switch (hdu.Bitpix)
            {
                case -32:
                    return hdu.GetFloat32();
                case -64:
                    double[] wide = hdu.GetFloat64();
                    var narrow = new float[wide.Length];
                    for (int i = 0; i < wide.Length; i++)
                    {
                        narrow[i] = (float)wide[i];
                    }

                    notes.Add("float64 SNR narrowed to float32");
                    return narrow;
                default:
                    throw fail(index, AlertFitsProblem.ImageType, $"the SNR image has BITPIX {hdu.Bitpix}; it must be floating point (-32 or -64) so NaN can mark pixels outside the field");
            }
        }
        catch (FitsFormatException e) when (e.Problem == AlertFitsProblem.Structure)
        {
            throw fail(index, AlertFitsProblem.ImageType, "the SNR image: " + e.Detail);
        }
    }

    private static byte[] ReadMask(FitsHdu hdu, int index, int side, Func<int, AlertFitsProblem, string, FitsFormatException> fail)
    {
        List<int> axes = Squeezed(hdu.Axes);
        if (hdu.ExtensionType?.Trim() != "IMAGE" || axes.Count != 2 || axes[0] != side || axes[1] != side)
        {
            throw fail(index, AlertFitsProblem.MaskExtension,
                $"the MASK extension must be an IMAGE of {side} x {side} pixels, found {hdu.ExtensionType?.Trim() ?? "a primary HDU"} of [{string.Join(" x ", hdu.Axes)}]");
        }

        long[] values;
        try
        {
            values = hdu.Bitpix switch
            {
                8 => Array.ConvertAll(hdu.GetUInt8(), v => (long)v),
                16 => Array.ConvertAll(hdu.GetInt16(), v => (long)v),
                32 => Array.ConvertAll(hdu.GetInt32(), v => (long)v),
                64 => hdu.GetInt64(),
                _ => throw fail(index, AlertFitsProblem.MaskExtension, $"the MASK extension has BITPIX {hdu.Bitpix}; it must hold integers (8, 16, 32 or 64)"),
            };
        }
        catch (FitsFormatException e) when (e.Problem == AlertFitsProblem.Structure)
        {
            throw fail(index, AlertFitsProblem.MaskExtension, "the MASK extension: " + e.Detail);
        }

        var mask = new byte[values.Length];
        for (int p = 0; p < values.Length; p++)
        {
            if (values[p] is < MaskIgnore or > MaskTrigger)
            {
                throw fail(index, AlertFitsProblem.MaskValue, $"mask value {values[p]} at {Where(p, side)} is not 0..3");
            }

            mask[p] = (byte)values[p];
        }

        return mask;
    }

    private static (int Row, int Column) TriggerFromMask(
        byte[] mask, int side, (int Row, int Column)? keywordTrigger, int index, List<string> notes, Func<int, AlertFitsProblem, string, FitsFormatException> fail)
    {
        int first = Array.IndexOf(mask, MaskTrigger);
        if (first >= 0)
        {
            int second = Array.IndexOf(mask, MaskTrigger, first + 1);
            if (second >= 0)
            {
                throw fail(index, AlertFitsProblem.TriggerPixel, $"the mask marks more than one trigger pixel (value 3 at {Where(first, side)} and at {Where(second, side)})");
            }

            (int Row, int Column) found = (first / side, first % side);
            if (keywordTrigger is { } k && k != found)
            {
                throw fail(index, AlertFitsProblem.TriggerPixel,
                    $"TRIGX/TRIGY give row {k.Row}, column {k.Column} but the mask's trigger pixel is at row {found.Row}, column {found.Column}");
            }

            return found;
        }

        (int Row, int Column) trigger = keywordTrigger ?? (side / 2, side / 2);
        int at = (trigger.Row * side) + trigger.Column;
        if (mask[at] == MaskIgnore)
        {
            throw fail(index, AlertFitsProblem.TriggerOutsideField, $"the mask has no trigger pixel (value 3) and is 0 at the trigger position (row {trigger.Row}, column {trigger.Column})");
        }

        mask[at] = MaskTrigger;
        notes.Add(keywordTrigger is null ? "the mask has no value 3: trigger pixel taken at the centre" : "the mask has no value 3: trigger pixel from TRIGX/TRIGY");
        return trigger;
    }

    /// <summary>Where the mask says there are data, the SNR must be finite and within the engine's range.</summary>
    private static void CheckSnrWhereMasked(float[] snr, byte[] mask, int side, int index, Func<int, AlertFitsProblem, string, FitsFormatException> fail)
    {
        for (int p = 0; p < snr.Length; p++)
        {
            if (mask[p] != MaskIgnore && !(Math.Abs(snr[p]) <= MaxAbsSnr))
            {
                throw fail(index, AlertFitsProblem.SnrValue, $"SNR {snr[p]} at {Where(p, side)} where the mask is {mask[p]} (data must be finite, |SNR| <= 1e6)");
            }
        }
    }

    /// <summary>0 where the SNR is NaN (no data), 1 elsewhere; infinities and values beyond ±1e6 are refused.</summary>
    private static byte[] MaskFromImage(float[] snr, int side, int index, Func<int, AlertFitsProblem, string, FitsFormatException> fail)
    {
        var mask = new byte[snr.Length];
        for (int p = 0; p < snr.Length; p++)
        {
            float v = snr[p];
            if (float.IsNaN(v))
            {
                continue;
            }

            if (!(Math.Abs(v) <= MaxAbsSnr))
            {
                throw fail(index, AlertFitsProblem.SnrValue, $"SNR {v} at {Where(p, side)} (only NaN marks missing data; values must be finite, |SNR| <= 1e6)");
            }

            mask[p] = MaskBackground;
        }

        return mask;
    }

    /// <summary>Pixels with data within a source's radius become 2 (FITS pixel (c+1, r+1) against the keyword position).</summary>
    private static void MarkKnownSources(byte[] mask, int side, List<(double X, double Y, double R)> sources)
    {
        foreach ((double x, double y, double r) in sources)
        {
            for (int row = 0; row < side; row++)
            {
                for (int column = 0; column < side; column++)
                {
                    double dx = column + 1 - x, dy = row + 1 - y;
                    int p = (row * side) + column;
                    if (mask[p] != MaskIgnore && (dx * dx) + (dy * dy) <= r * r)
                    {
                        mask[p] = MaskKnownSource;
                    }
                }
            }
        }
    }

    /// <summary>Shifts the images so the trigger lands on the centre; pixels shifted in are SNR 0, mask 0.</summary>
    private static (float[] Snr, byte[] Mask) Recentre(float[] snr, byte[] mask, int side, (int Row, int Column) trigger)
    {
        var s = new float[snr.Length];
        var m = new byte[mask.Length];
        int dr = trigger.Row - (side / 2), dc = trigger.Column - (side / 2);
        for (int row = 0; row < side; row++)
        {
            for (int column = 0; column < side; column++)
            {
                int r = row + dr, c = column + dc;
                if (r >= 0 && r < side && c >= 0 && c < side)
                {
                    s[(row * side) + column] = snr[(r * side) + c];
                    m[(row * side) + column] = mask[(r * side) + c];
                }
            }
        }

        return (s, m);
    }

    private static string Where(int p, int side) => $"row {p / side}, column {p % side} (FITS pixel {(p % side) + 1}, {(p / side) + 1})";

    private static byte[] Inflate(ReadOnlySpan<byte> gz, string? sourceName, int maxBytes)
    {
        try
        {
            using var gzip = new GZipStream(new MemoryStream(gz.ToArray()), CompressionMode.Decompress);
            using var raw = new MemoryStream();
            CopyAtMost(gzip, raw, maxBytes, sourceName, AlertFitsProblem.Compression);
            return raw.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw new FitsFormatException(sourceName, -1, AlertFitsProblem.Compression, $"gzip data do not inflate: {e.Message}", e);
        }
    }

    private static void CopyAtMost(Stream from, MemoryStream to, int maxBytes, string? sourceName, AlertFitsProblem problem)
    {
        var buffer = new byte[1 << 16];
        int got;
        while ((got = from.Read(buffer)) > 0)
        {
            if (to.Length + got > maxBytes)
            {
                throw new FitsFormatException(sourceName, -1, problem, $"more than the {maxBytes} bytes accepted for one alert");
            }

            to.Write(buffer, 0, got);
        }
    }

    /// <summary>Keywords of the SNR HDU, falling back on the primary header (astropy's empty primary + image extension).</summary>
    private sealed class Keywords(IReadOnlyList<FitsHdu> hdus, int snrIndex, string? sourceName)
    {
        public bool HasKnownSources => Find("NKNOWN") is not null || Find("KNOWN1X") is not null || Find("KNOWN1Y") is not null;

        public (int Row, int Column)? Trigger(int side)
        {
            (FitsCard Card, int Hdu)? x = Find("TRIGX"), y = Find("TRIGY");
            if (x is null && y is null)
            {
                return null;
            }

            if (x is null || y is null)
            {
                throw new FitsFormatException(sourceName, (x ?? y)!.Value.Hdu, AlertFitsProblem.TriggerPixel, "TRIGX and TRIGY must be given together");
            }

            double px = Number(x.Value, AlertFitsProblem.TriggerPixel), py = Number(y.Value, AlertFitsProblem.TriggerPixel);
            int column = (int)Math.Round(px, MidpointRounding.AwayFromZero) - 1, row = (int)Math.Round(py, MidpointRounding.AwayFromZero) - 1;
            if (column < 0 || column >= side || row < 0 || row >= side)
            {
                throw new FitsFormatException(sourceName, x.Value.Hdu, AlertFitsProblem.TriggerPixel,
                    $"TRIGX = {px}, TRIGY = {py} is outside the {side} x {side} image (FITS pixels run from 1 to {side})");
            }

            return (row, column);
        }

        public List<(double X, double Y, double R)> KnownSources(double defaultRadius)
        {
            var sources = new List<(double X, double Y, double R)>();
            (FitsCard Card, int Hdu)? count = Find("NKNOWN");
            (FitsCard Card, int Hdu)? commonRadius = Find("KNOWNRAD");
            double radius = commonRadius is { } cr ? Radius(cr) : defaultRadius;
            int n = MaxKnownSources;
            if (count is { } c)
            {
                double v = Number(c, AlertFitsProblem.KnownSource);
                if (v != Math.Floor(v) || v < 0 || v > MaxKnownSources)
                {
                    throw new FitsFormatException(sourceName, c.Hdu, AlertFitsProblem.KnownSource, $"NKNOWN = {v} is not a count 0..{MaxKnownSources}");
                }

                n = (int)v;
            }

            for (int i = 1; i <= n; i++)
            {
                (FitsCard Card, int Hdu)? x = Find($"KNOWN{i}X"), y = Find($"KNOWN{i}Y"), r = Find($"KNOWN{i}R");
                if (x is null && y is null && count is null)
                {
                    break;
                }

                if (x is null || y is null)
                {
                    throw new FitsFormatException(sourceName, (x ?? y ?? count)!.Value.Hdu, AlertFitsProblem.KnownSource,
                        $"known source {i}: KNOWN{i}X and KNOWN{i}Y must both be given{(count is null ? "" : $" (NKNOWN = {n})")}");
                }

                sources.Add((Number(x.Value, AlertFitsProblem.KnownSource), Number(y.Value, AlertFitsProblem.KnownSource), r is { } rr ? Radius(rr) : radius));
            }

            return sources;
        }

        public AlertLabel? Label()
        {
            if (Find("LABEL") is not { } found)
            {
                return null;
            }

            object? v = found.Card.Value;
            string? text = v switch { long l => l.ToString(System.Globalization.CultureInfo.InvariantCulture), bool b => b ? "true" : "false", string s => s, _ => null };
            return AlertVocabulary.TryParseLabel(text, out AlertLabel label)
                ? label
                : throw new FitsFormatException(sourceName, found.Hdu, AlertFitsProblem.Keyword, $"LABEL = {Shown(v)} is not 0/1/2, T/F or 'false'/'true'/'unclear'");
        }

        public byte? Cause()
        {
            if (Find("CAUSE") is { } found)
            {
                return found.Card.Value is long code && code is >= 0 and <= 255
                    ? (byte)code
                    : throw new FitsFormatException(sourceName, found.Hdu, AlertFitsProblem.Keyword, $"CAUSE = {Shown(found.Card.Value)} is not an integer code 0..255");
            }

            return Text("CAUSENAM") is { } name && AlertVocabulary.TryParseCause(name, out byte named) ? named : null;
        }

        public string? Text(string keyword) => Find(keyword) is { } f && f.Card.Value is string s ? s.Trim() : null;

        public float Real(string keyword) => Find(keyword) is { } f && f.Card.Value is double or long ? (float)Convert.ToDouble(f.Card.Value, System.Globalization.CultureInfo.InvariantCulture) : float.NaN;

        private double Radius((FitsCard Card, int Hdu) found)
        {
            double r = Number(found, AlertFitsProblem.KnownSource);
            return r >= 0 && double.IsFinite(r)
                ? r
                : throw new FitsFormatException(sourceName, found.Hdu, AlertFitsProblem.KnownSource, $"{found.Card.Keyword} = {r} is not a radius >= 0 in pixels");
        }

        private double Number((FitsCard Card, int Hdu) found, AlertFitsProblem problem) => found.Card.Value switch
        {
            double d when double.IsFinite(d) => d,
            long l => l,
            var v => throw new FitsFormatException(sourceName, found.Hdu, problem, $"{found.Card.Keyword} = {Shown(v)} is not a finite number"),
        };

        private static string Shown(object? value) => value is string s ? $"'{s.Trim()}'" : FitsCard.FormatValue(value);

        private (FitsCard Card, int Hdu)? Find(string keyword)
        {
            if (hdus[snrIndex].Header.TryGet(keyword, out FitsCard card))
            {
                return (card, snrIndex);
            }

            return snrIndex != 0 && hdus[0].Header.TryGet(keyword, out card) ? (card, 0) : null;
        }
    }
}
