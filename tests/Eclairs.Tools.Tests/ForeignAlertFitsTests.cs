using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using Eclairs.Simulation.Formats;
using Xunit;

namespace Eclairs.Tools.Tests;

/// <summary>
/// <see cref="AlertFitsReader"/> on alert FITS files written by astropy 5.2.1 (ForeignFits/make_foreign_fits.py), as
/// another team's tools would write them. The expected SNR and mask of every file that must import were computed by
/// that script with numpy from the format description, not by the reader; expected.csv gives every file's fate.
/// </summary>
public sealed class ForeignAlertFitsTests
{
    private const int Side = 56;

    internal static string FixtureDir => Path.Combine(AppContext.BaseDirectory, "ForeignFits");

    private static string Alert(string name) => Path.Combine(FixtureDir, "alerts", name);

    private static (float[] Snr, byte[] Mask) Expected(string stem) => (
        NpyReader.Read<float>(Path.Combine(FixtureDir, "expected", stem + ".snr.npy")).Data,
        NpyReader.Read<byte>(Path.Combine(FixtureDir, "expected", stem + ".mask.npy")).Data);

    internal static IEnumerable<(string File, string Status, string Problem)> ExpectedFates() =>
        File.ReadAllLines(Path.Combine(FixtureDir, "expected.csv")).Skip(1).Select(l => l.Split(','))
            .Select(f => (f[0], f[1], f[2]));

    public static TheoryData<string> Importable() =>
        ["plain-nan.fits", "keywords-float64.fits", "extensions-int16-mask.fits", "cube-mask-without-trigger.fits", "gzipped.fits.gz"];

    public static TheoryData<string, string> RefusedByTheReader()
    {
        var data = new TheoryData<string, string>();
        foreach ((string file, string status, string problem) in ExpectedFates())
        {
            // "label" and "duplicate" are decided by the folder import (labels CSV, files seen before), not the reader.
            if (status == "refused" && problem is not ("label" or "duplicate"))
            {
                data.Add(file, problem);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Importable))]
    public void Importable_files_give_the_snr_and_the_mask_numpy_computed(string name)
    {
        ImportedAlert alert = AlertFitsReader.Read(Alert(name));
        (float[] snr, byte[] mask) = Expected(name);
        Assert.Equal(mask, alert.Mask);
        for (int p = 0; p < snr.Length; p++)
        {
            if (mask[p] != 0)
            {
                Assert.Equal(BitConverter.SingleToInt32Bits(snr[p]), BitConverter.SingleToInt32Bits(alert.Snr[p]));
            }
        }

        Assert.Equal(snr[(28 * Side) + 28], alert.PeakSnr);
        Assert.Equal(1, alert.Mask.Count(v => v == 3));
    }

    [Fact]
    public void Header_keywords_give_label_cause_positions_and_say_what_was_assumed()
    {
        ImportedAlert k = AlertFitsReader.Read(Alert("keywords-float64.fits"));
        Assert.Equal(AlertLabel.TrueAlert, k.Label);
        Assert.Equal((byte)2, k.Cause); // CAUSENAM 'Burst near known source' = burst-near-known-source
        Assert.Equal(2, k.KnownSources);
        Assert.Equal(AlertMaskSource.Keywords, k.MaskSource);
        Assert.Equal(101.5f, k.SkyY);
        Assert.Equal(87.25f, k.SkyZ);
        Assert.True(float.IsNaN(k.OffAxis));
        Assert.Contains(k.Notes, n => n.Contains("float64", StringComparison.Ordinal));

        ImportedAlert e = AlertFitsReader.Read(Alert("extensions-int16-mask.fits"));
        Assert.Equal((AlertLabel.FalseAlert, (byte)12, 1, AlertMaskSource.Extension), (e.Label!.Value, e.Cause!.Value, e.SnrHdu, e.MaskSource));

        ImportedAlert plain = AlertFitsReader.Read(Alert("plain-nan.fits"));
        Assert.Null(plain.Label);
        Assert.Null(plain.Cause);
        Assert.Contains(plain.Notes, n => n.Contains("taken at the centre", StringComparison.Ordinal));

        ImportedAlert cube = AlertFitsReader.Read(Alert("cube-mask-without-trigger.fits"));
        Assert.Equal(AlertLabel.TrueAlert, cube.Label); // LABEL = T
        Assert.Contains(cube.Notes, n => n.Contains("from TRIGX/TRIGY", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(RefusedByTheReader))]
    public void Unusable_files_are_refused_with_the_kind_of_problem_and_a_reason(string name, string problem)
    {
        var e = Assert.Throws<FitsFormatException>(() => AlertFitsReader.Read(Alert(name)));
        Assert.Equal(problem, AlertFolderImport.ProblemName(e.Problem));
        Assert.StartsWith(Alert(name) + ": ", e.Message, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(e.Detail));
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Refusal_messages_say_where()
    {
        string Detail(string name) => Assert.Throws<FitsFormatException>(() => AlertFitsReader.Read(Alert(name))).Detail;
        Assert.Contains("mask value 7 at row 3, column 4 (FITS pixel 5, 4)", Detail("mask-value-7.fits"), StringComparison.Ordinal);
        Assert.Contains("row 40, column 41", Detail("infinite-snr.fits"), StringComparison.Ordinal);
        Assert.Contains("[64 x 64]", Detail("wrong-shape.fits"), StringComparison.Ordinal);
        Assert.Contains("BITPIX 16", Detail("integer-image.fits"), StringComparison.Ordinal);
        Assert.Contains("row 32, column 20", Detail("off-centre.fits"), StringComparison.Ordinal);
        Assert.Contains("KNOWN1Y", Detail("known-source-without-y.fits"), StringComparison.Ordinal);
        Assert.Contains("'maybe'", Detail("label-maybe.fits"), StringComparison.Ordinal);
    }

    [Fact]
    public void Recentring_shifts_an_off_centre_trigger_to_the_centre()
    {
        ImportedAlert alert = AlertFitsReader.Read(Alert("off-centre.fits"), new AlertFitsReadOptions { Recentre = true });
        (float[] snr, byte[] mask) = Expected("off-centre.fits.recentred");
        Assert.Equal(mask, alert.Mask);
        Assert.Equal((32, 20), alert.TriggerInFile);
        for (int p = 0; p < snr.Length; p++)
        {
            if (mask[p] != 0)
            {
                Assert.Equal(snr[p], alert.Snr[p]);
            }
        }
    }

    [Fact]
    public void Bytes_stream_and_path_give_the_same_alert()
    {
        string path = Alert("keywords-float64.fits");
        byte[] bytes = File.ReadAllBytes(path);
        ImportedAlert a = AlertFitsReader.Read(path), b = AlertFitsReader.Read(bytes, "k"), c = AlertFitsReader.Read(new MemoryStream(bytes), "k");
        Assert.Equal(a.Snr, b.Snr);
        Assert.Equal(a.Mask, c.Mask);
        Assert.Equal(a.Label, c.Label);
    }

    [Fact]
    public void Our_own_files_read_through_the_same_reader()
    {
        FitsAlert own = FitsAlert.FromDataset(AlertDatasetTests.Sample(2), 1, "saa");
        using var ms = new MemoryStream();
        AlertFitsFile.Write(own, ms);
        ImportedAlert back = AlertFitsReader.Read(ms.ToArray(), "own.fits");
        Assert.Equal(own.Snr, back.Snr);
        Assert.Equal(own.Mask, back.Mask);
        Assert.Equal(own.Label, back.Label);
        Assert.Equal(own.Cause, back.Cause);
        Assert.Equal(AlertMaskSource.Extension, back.MaskSource);
    }

    [Fact]
    public void Damaged_bytes_give_the_format_exception_never_another()
    {
        // Cut anywhere (the MASK required, else a cut after the SNR extension is a valid shorter file).
        byte[] good = File.ReadAllBytes(Alert("extensions-int16-mask.fits"));
        var withMask = new AlertFitsReadOptions { RequireMaskExtension = true };
        for (int n = 0; n < good.Length; n += 80)
        {
            Assert.Throws<FitsFormatException>(() => AlertFitsReader.Read(good.AsSpan(0, n), "t.fits", withMask));
        }

        var random = new Random(5);
        for (int trial = 0; trial < 500; trial++)
        {
            byte[] file = (byte[])good.Clone();
            for (int k = random.Next(1, 4); k > 0; k--)
            {
                file[random.Next(0, file.Length)] = (byte)random.Next(256);
            }

            try
            {
                AlertFitsReader.Read(file, "t.fits");
            }
            catch (FitsFormatException)
            {
            }
        }
    }

    [Fact]
    public void Oversized_and_bad_gzip_inputs_are_refused_before_use()
    {
        byte[] plain = File.ReadAllBytes(Alert("plain-nan.fits"));
        var small = new AlertFitsReadOptions { MaxBytes = 10_000 };
        Assert.Equal(AlertFitsProblem.Structure, Assert.Throws<FitsFormatException>(() => AlertFitsReader.Read(plain, "p", small)).Problem);
        Assert.Equal(AlertFitsProblem.Structure, Assert.Throws<FitsFormatException>(() => AlertFitsReader.Read(new MemoryStream(plain), "p", small)).Problem);

        // 64 MB of zeros deflate to ~64 KB: refused while inflating, at the limit.
        using var bomb = new MemoryStream();
        using (var gz = new GZipStream(bomb, CompressionLevel.Optimal, leaveOpen: true))
        {
            gz.Write(new byte[64 << 20]);
        }

        Assert.Equal(AlertFitsProblem.Compression, Assert.Throws<FitsFormatException>(() => AlertFitsReader.Read(bomb.ToArray(), "bomb.fits.gz")).Problem);
        byte[] broken = File.ReadAllBytes(Alert("gzipped.fits.gz"));
        broken.AsSpan(20, 200).Fill(0x55);
        Assert.Equal(AlertFitsProblem.Compression, Assert.Throws<FitsFormatException>(() => AlertFitsReader.Read(broken, "g.fits.gz")).Problem);
    }

    [Fact]
    public void The_folder_import_gives_every_file_the_fate_the_script_expects()
    {
        AlertFolderImportResult result = AlertFolderImport.Run(Path.Combine(FixtureDir, "alerts"), AlertLabelTable.Read(Path.Combine(FixtureDir, "labels.csv")));
        foreach ((string file, string status, string problem) in ExpectedFates())
        {
            ImportEntry entry = Assert.Single(result.Entries, e => e.File == file);
            Assert.Equal((status, problem), (entry.Status.ToString().ToLowerInvariant(), entry.Problem ?? ""));
            Assert.False(string.IsNullOrWhiteSpace(entry.Reason) && entry.Status != ImportStatus.Imported, file);
        }

        ImportEntry missing = Assert.Single(result.Entries, e => e.Status == ImportStatus.Missing);
        Assert.Equal("not-here.fits", missing.File);
        Assert.Equal(ExpectedFates().Count() + 1, result.Entries.Count);

        AlertDataset set = result.Dataset;
        ImportEntry Of(string f) => result.Entries.Single(e => e.File == f);
        Assert.Equal(5, set.Count);
        (int Index, AlertLabel Label, byte Cause)[] wanted =
        [
            (Of("plain-nan.fits").Index, AlertLabel.FalseAlert, 11),              // labels.csv: false, SAA
            (Of("gzipped.fits.gz").Index, AlertLabel.TrueAlert, 0),               // labels.csv: TRUE, no cause
            (Of("extensions-int16-mask.fits").Index, AlertLabel.FalseAlert, 0),   // csv wins over LABEL 0 / CAUSE 12; unknown cause word
            (Of("keywords-float64.fits").Index, AlertLabel.TrueAlert, 2),         // keywords only
            (Of("cube-mask-without-trigger.fits").Index, AlertLabel.TrueAlert, 0),
        ];
        foreach ((int index, AlertLabel label, byte cause) in wanted)
        {
            Assert.Equal(((byte)label, cause), (set.Label[index], set.Cause[index]));
        }

        Assert.Contains("not in the cause list", Of("extensions-int16-mask.fits").Reason, StringComparison.Ordinal);
        Assert.Contains("comment: BA said \"clear\"", Of("gzipped.fits.gz").Reason, StringComparison.Ordinal);
        Assert.Contains("same SNR and mask as plain-nan.fits", Of("replica-of-plain-nan.fits").Reason, StringComparison.Ordinal);
        Assert.Contains("'perhaps'", Of("csv-label-bad.fits").Reason, StringComparison.Ordinal);
        (float[] snr, byte[] mask) = Expected("keywords-float64.fits");
        Assert.Equal(mask, set.MaskOf(Of("keywords-float64.fits").Index).ToArray());
        Assert.Equal(snr[(28 * Side) + 28], set.PeakSnr[Of("keywords-float64.fits").Index]);
        Assert.Equal(1, set.Partial[Of("plain-nan.fits").Index]);
    }
}
