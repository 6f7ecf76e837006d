using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Eclairs.Simulation.Formats;

/// <summary>What became of one file of the folder (or one label row).</summary>
public enum ImportStatus
{
    /// <summary>Read and labelled: an alert of the data set.</summary>
    Imported,

    /// <summary>A FITS file that could not be used; <see cref="ImportEntry.Reason"/> says why.</summary>
    Refused,

    /// <summary>Not a FITS file by its name (.fits, .fit, .fts, optionally .gz).</summary>
    Ignored,

    /// <summary>A label row naming a file that is not in the folder.</summary>
    Missing,
}

/// <summary>One line of the import manifest.</summary>
/// <param name="File">Path relative to the folder (for <see cref="ImportStatus.Missing"/>: as the label row gave it).</param>
/// <param name="Index">Position in the data set, -1 when not imported.</param>
/// <param name="Problem">Kind of refusal ("structure", "trigger-off-centre", "label", "duplicate", ...), null otherwise.</param>
/// <param name="Reason">Why it was refused, or what the reader assumed for an imported file.</param>
public sealed record ImportEntry(string File, ImportStatus Status, int Index, AlertLabel? Label, byte? Cause, AlertMaskSource? Mask, string? Problem, string Reason);

/// <summary>The data set read from a folder and the fate of every file in it.</summary>
public sealed class AlertFolderImportResult(AlertDataset dataset, IReadOnlyList<ImportEntry> entries)
{
    public AlertDataset Dataset { get; } = dataset;

    /// <summary>Every file of the folder in name order, then the label rows without a file.</summary>
    public IReadOnlyList<ImportEntry> Entries { get; } = entries;

    public int Count(ImportStatus status) => Entries.Count(e => e.Status == status);

    /// <summary>Writes the manifest: file,status,index,label,cause,mask,problem,reason (RFC 4180 quoting).</summary>
    public void WriteManifest(string path)
    {
        var text = new StringBuilder("file,status,index,label,cause,mask,problem,reason\n");
        foreach (ImportEntry e in Entries)
        {
            string[] fields =
            [
                e.File,
                e.Status.ToString().ToLowerInvariant(),
                e.Index >= 0 ? e.Index.ToString(CultureInfo.InvariantCulture) : "",
                e.Label switch { AlertLabel.TrueAlert => "true", AlertLabel.FalseAlert => "false", AlertLabel.Unclear => "unclear", _ => "" },
                e.Cause is { } c ? CauseNames.Of(c) : "",
                e.Mask switch { AlertMaskSource.Extension => "extension", AlertMaskSource.Keywords => "keywords", _ => "" },
                e.Problem ?? "",
                e.Reason,
            ];
            text.AppendJoin(',', fields.Select(Quote)).Append('\n');
        }

        File.WriteAllText(path, text.ToString());
    }

    private static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;
}

/// <summary>
/// <c>eclairs import-alerts</c>'s work: every file of a folder (not its subfolders) read by
/// <see cref="AlertFitsReader"/>, labelled from a CSV (which wins) or the file's LABEL keyword, and either kept as
/// an alert of the data set or listed with the reason it was refused. A file whose SNR and mask are bit for bit
/// those of a file already kept is refused as a duplicate (the same alert twice would leak across folds).
/// </summary>
public static class AlertFolderImport
{
    private static readonly string[] FitsSuffixes = [".fits", ".fit", ".fts", ".fits.gz", ".fit.gz", ".fts.gz"];

    public static bool IsFitsName(string name) =>
        FitsSuffixes.Any(s => name.EndsWith(s, StringComparison.OrdinalIgnoreCase));

    public static AlertFolderImportResult Run(string directory, AlertLabelTable? labels, AlertFitsReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(directory);
        options ??= AlertFitsReadOptions.Default;
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"{directory}: no such folder");
        }

        string[] files = Directory.GetFiles(directory).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToArray();
        string? labelFile = labels is null ? null : Path.GetFullPath(labels.Source);
        var entries = new List<ImportEntry>();
        var alerts = new List<(ImportedAlert Alert, AlertLabel Label, byte Cause)>();
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string name in files)
        {
            string full = Path.Combine(directory, name);
            if (!IsFitsName(name))
            {
                if (!string.Equals(Path.GetFullPath(full), labelFile, StringComparison.Ordinal))
                {
                    entries.Add(new ImportEntry(name, ImportStatus.Ignored, -1, null, null, null, null, "not a FITS file name (.fits, .fit, .fts, optionally .gz)"));
                }

                continue;
            }

            entries.Add(ImportOne(full, name, labels, options, alerts, seen));
        }

        if (labels is not null)
        {
            foreach (AlertLabelRow row in labels.Unmatched(files))
            {
                entries.Add(new ImportEntry(row.File, ImportStatus.Missing, -1, row.Label, row.Cause, null, "missing",
                    $"{labels.Source} line {row.Line} labels a file that is not in the folder"));
            }
        }

        return new AlertFolderImportResult(ToDataset(alerts, options.Side), entries);
    }

    private static ImportEntry ImportOne(
        string full, string name, AlertLabelTable? labels, AlertFitsReadOptions options, List<(ImportedAlert, AlertLabel, byte)> alerts, Dictionary<string, string> seen)
    {
        ImportEntry Refuse(string problem, string reason, AlertMaskSource? mask = null) =>
            new(name, ImportStatus.Refused, -1, null, null, mask, problem, reason);

        ImportedAlert alert;
        try
        {
            alert = AlertFitsReader.Read(File.ReadAllBytes(full), name, options);
        }
        catch (FitsFormatException e)
        {
            return Refuse(ProblemName(e.Problem), (e.HduIndex >= 0 ? $"HDU {e.HduIndex}: " : "") + e.Detail);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Refuse("unreadable", e.Message);
        }

        var notes = new List<string>(alert.Notes);
        AlertLabel? label = alert.Label;
        byte? cause = alert.Cause;
        if (labels is not null && labels.TryFind(name, out AlertLabelRow row))
        {
            if (row.Problem is not null)
            {
                return Refuse("label", row.Problem, alert.MaskSource);
            }

            if (alert.Label is { } keyword && keyword != row.Label)
            {
                notes.Add($"LABEL keyword {(byte)keyword} overridden by {labels.Source} line {row.Line}");
            }

            label = row.Label;
            if (row.CauseText is not null)
            {
                if (row.Cause is null)
                {
                    notes.Add($"cause '{row.CauseText}' is not in the cause list: stored as 0 (unknown)");
                }

                cause = row.Cause ?? 0;
            }

            if (row.Comment is not null)
            {
                notes.Add("comment: " + row.Comment);
            }
        }

        if (label is null)
        {
            return Refuse("label", labels is null
                ? "no label: no LABEL keyword and no --labels file"
                : $"no label: not in {labels.Source} and no LABEL keyword", alert.MaskSource);
        }

        string digest = Digest(alert);
        if (seen.TryGetValue(digest, out string? original))
        {
            return Refuse("duplicate", $"same SNR and mask as {original}", alert.MaskSource);
        }

        seen[digest] = name;
        alerts.Add((alert, label.Value, cause ?? 0));
        return new ImportEntry(name, ImportStatus.Imported, alerts.Count - 1, label, cause ?? 0, alert.MaskSource, null, string.Join("; ", notes));
    }

    /// <summary>"trigger-off-centre" for <see cref="AlertFitsProblem.TriggerOffCentre"/>.</summary>
    public static string ProblemName(AlertFitsProblem problem) => JsonNamingPolicy.KebabCaseLower.ConvertName(problem.ToString());

    private static string Digest(ImportedAlert alert)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(alert.Snr.AsSpan()));
        hash.AppendData(alert.Mask);
        return Convert.ToHexString(hash.GetHashAndReset());
    }

    private static AlertDataset ToDataset(List<(ImportedAlert Alert, AlertLabel Label, byte Cause)> alerts, int side)
    {
        AlertDataset set = AlertDataset.Allocate(alerts.Count, side);
        for (int i = 0; i < alerts.Count; i++)
        {
            (ImportedAlert a, AlertLabel label, byte cause) = alerts[i];
            a.Snr.CopyTo(set.SnrOf(i));
            a.Mask.CopyTo(set.MaskOf(i));
            set.Label[i] = (byte)label;
            set.Cause[i] = cause;
            set.PeakSnr[i] = a.PeakSnr;
            set.SkyY[i] = a.SkyY;
            set.SkyZ[i] = a.SkyZ;
            set.OffAxis[i] = a.OffAxis;
            set.Azimuth[i] = a.Azimuth;
        }

        set.ComputePartial();
        set.Validate();
        return set;
    }
}
