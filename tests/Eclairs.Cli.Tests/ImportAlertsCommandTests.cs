using System;
using System.IO;
using System.Linq;
using Eclairs.Simulation.Formats;
using Xunit;

namespace Eclairs.Cli.Tests;

/// <summary>
/// <c>eclairs import-alerts</c> as a user runs it on the astropy-written fixtures of tests/Eclairs.Tools.Tests/ForeignFits:
/// the data set holds what numpy computed for the importable files, the manifest lists every file with its fate.
/// </summary>
public sealed class ImportAlertsCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("eclairs-import-").FullName;

    private static string Fixtures => Path.Combine(CliPaths.RepositoryRoot(), "tests", "Eclairs.Tools.Tests", "ForeignFits");

    [Fact]
    public void The_fixture_folder_imports_five_alerts_and_lists_every_refusal()
    {
        string output = Path.Combine(_dir, "alerts.npz");
        string stdout = EclairsProcess.Ok("import-alerts", "--fits-dir", Path.Combine(Fixtures, "alerts"), "--labels", Path.Combine(Fixtures, "labels.csv"), "--out", output);
        string[] expected = File.ReadAllLines(Path.Combine(Fixtures, "expected.csv")).Skip(1).ToArray();
        int refused = expected.Count(l => l.Split(',')[1] == "refused");
        Assert.Contains($"5 imported (2 false, 3 true, 0 unclear), {refused} refused", stdout, StringComparison.Ordinal);
        Assert.Contains("1 ignored (not FITS by name), 1 label rows without a file", stdout, StringComparison.Ordinal);
        foreach (string line in expected.Where(l => l.Split(',')[1] == "refused"))
        {
            Assert.Contains($"refused: {line.Split(',')[0]}: ", stdout, StringComparison.Ordinal);
        }

        AlertDataset set = AlertDatasetFile.Read(output);
        Assert.Equal(5, set.Count);
        string[] manifest = File.ReadAllLines(Path.Combine(_dir, "alerts.import.csv"));
        Assert.Equal("file,status,index,label,cause,mask,problem,reason", manifest[0]);
        Assert.Equal(expected.Length + 2, manifest.Length); // + header, + the label row without a file
        foreach (string row in manifest.Skip(1).Where(r => r.Contains(",imported,", StringComparison.Ordinal)))
        {
            string[] f = row.Split(',');
            int index = int.Parse(f[2], System.Globalization.CultureInfo.InvariantCulture);
            byte[] mask = NpyReader.Read<byte>(Path.Combine(Fixtures, "expected", f[0] + ".mask.npy")).Data;
            Assert.Equal(mask, set.MaskOf(index).ToArray());
            Assert.Equal(f[3] == "true" ? 1 : 0, set.Label[index]);
        }
    }

    [Fact]
    public void Recentre_imports_the_off_centre_alert_too()
    {
        string output = Path.Combine(_dir, "alerts.npz");
        string stdout = EclairsProcess.Ok("import-alerts", "--fits-dir", Path.Combine(Fixtures, "alerts"), "--labels", Path.Combine(Fixtures, "labels.csv"), "--out", output, "--recentre");
        Assert.Contains("6 imported", stdout, StringComparison.Ordinal);
        Assert.Equal(6, AlertDatasetFile.Read(output).Count);
    }

    [Fact]
    public void A_folder_with_nothing_to_import_fails_with_one_line_and_writes_nothing()
    {
        string empty = Directory.CreateDirectory(Path.Combine(_dir, "empty")).FullName;
        File.WriteAllText(Path.Combine(empty, "notes.txt"), "nothing here");
        string output = Path.Combine(_dir, "none.npz");
        (int code, string stdout, string error) = EclairsProcess.Run("import-alerts", "--fits-dir", empty, "--out", output);
        Assert.Equal(1, code);
        Assert.Contains("0 imported", stdout, StringComparison.Ordinal);
        Assert.Equal($"eclairs import-alerts: {empty}: no alert imported; nothing written to {output}", error.Trim());
        Assert.False(File.Exists(output));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
