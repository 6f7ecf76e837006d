using System;
using System.CommandLine;
using System.IO;
using System.Linq;
using Eclairs.Simulation.Formats;

namespace Eclairs.Cli.Commands;

/// <summary>
/// <c>eclairs import-alerts</c>: a folder of alert FITS files (ours, or the plain form a team would have) into a
/// labelled .npz data set, with a manifest listing every file as imported, refused (and why) or ignored.
/// </summary>
internal static class ImportAlertsCommand
{
    public static Command Create()
    {
        var fitsDir = new Option<string>("--fits-dir") { Description = "Folder of alert FITS files (.fits, .fit, .fts, optionally .gz); subfolders are not read.", Required = true };
        var labels = new Option<string?>("--labels") { Description = "CSV of verdicts: file,label(true/false/unclear)[,cause[,comment]]; wins over LABEL keywords." };
        var output = new Option<string>("--out") { Description = "Data set to write (.npz).", Required = true };
        var manifest = new Option<string?>("--manifest") { Description = "Manifest CSV (default: beside --out, <name>.import.csv)." };
        var recentre = new Option<bool>("--recentre") { Description = "Shift alerts whose trigger pixel is off-centre instead of refusing them." };
        var radius = new Option<double>("--known-source-radius") { Description = "Exclusion radius (pixels) of known sources whose keywords give none.", DefaultValueFactory = _ => 3.0 };
        var command = new Command("import-alerts", "Import a folder of alert FITS files into a labelled .npz data set; every refused file is listed with its reason.")
        {
            fitsDir, labels, output, manifest, recentre, radius,
        };
        command.SetAction(parse =>
        {
            string dir = parse.GetValue(fitsDir)!, outPath = parse.GetValue(output)!;
            string manifestPath = parse.GetValue(manifest) ?? Path.ChangeExtension(outPath, ".import.csv");
            double r = parse.GetValue(radius);
            if (!(r >= 0) || double.IsInfinity(r))
            {
                throw new CommandUsageException($"--known-source-radius {r} must be a finite radius >= 0");
            }

            AlertLabelTable? table = parse.GetValue(labels) is { } csv ? AlertLabelTable.Read(csv) : null;
            var options = new AlertFitsReadOptions { Recentre = parse.GetValue(recentre), KnownSourceRadius = r };
            AlertFolderImportResult result = AlertFolderImport.Run(dir, table, options);
            result.WriteManifest(manifestPath);
            int imported = result.Count(ImportStatus.Imported), refused = result.Count(ImportStatus.Refused);
            foreach (ImportEntry e in result.Entries.Where(e => e.Status is ImportStatus.Refused or ImportStatus.Missing))
            {
                Console.WriteLine($"{e.Status.ToString().ToLowerInvariant()}: {e.File}: {e.Reason}");
            }

            AlertDataset set = result.Dataset;
            int Count(AlertLabel l) => set.Label.Count(v => v == (byte)l);
            string byProblem = string.Join(", ", result.Entries.Where(e => e.Status == ImportStatus.Refused)
                .GroupBy(e => e.Problem).OrderByDescending(g => g.Count()).Select(g => $"{g.Count()} {g.Key}"));
            Console.WriteLine($"{imported} imported ({Count(AlertLabel.FalseAlert)} false, {Count(AlertLabel.TrueAlert)} true, {Count(AlertLabel.Unclear)} unclear), "
                + $"{refused} refused{(refused > 0 ? $" ({byProblem})" : "")}, {result.Count(ImportStatus.Ignored)} ignored (not FITS by name)"
                + (table is null ? "" : $", {result.Count(ImportStatus.Missing)} label rows without a file"));
            Console.WriteLine($"manifest: {manifestPath}");
            if (imported == 0)
            {
                throw new InvalidDataException($"{dir}: no alert imported; nothing written to {outPath}");
            }

            AlertDatasetFile.Write(set, outPath);
            Console.WriteLine($"wrote {outPath}: {imported} alerts");
            return 0;
        });
        return command;
    }
}
