using System;
using System.IO;
using System.Net;
using System.Threading.Tasks;
using Eclairs.Ground.Storage;
using Eclairs.Simulation.Formats;
using Xunit;

namespace Eclairs.Ground.Tests;

/// <summary>FITS alerts on POST /api/alerts: the project's own file, and files written by astropy (Fixtures/make_fits.py).</summary>
public sealed class FitsIngestTests
{
    /// <summary>The pixels make_fits.py wrote, recomputed here from its formula.</summary>
    private static (float[] Snr, byte[] Mask) Expected()
    {
        var snr = new float[56 * 56];
        var mask = new byte[56 * 56];
        for (int r = 0; r < 56; r++)
        {
            for (int c = 0; c < 56; c++)
            {
                int i = (r * 56) + c;
                snr[i] = c < 8 ? float.NaN : (float)(((56.0 * r) + c) / 100.0 - 10.0);
                mask[i] = c < 8 ? (byte)0 : r is >= 10 and <= 12 && c is >= 40 and <= 42 ? (byte)2 : r == 28 && c == 28 ? (byte)3 : (byte)1;
            }
        }

        return (snr, mask);
    }

    [Theory]
    [InlineData("astropy-primary-snr.fits")]
    [InlineData("astropy-extensions.fits")]
    public async Task Astropy_files_with_an_snr_image_and_a_mask_extension_are_taken(string file)
    {
        await using GroundTestServer server = await Shared.Sqlite();
        using var ingest = server.Client(server.IngestToken);
        var (status, answer) = await GroundTestServer.PostAsync(ingest, "/api/alerts", File.ReadAllBytes(TestPaths.Fixture(file)), "application/fits");
        Assert.Equal(HttpStatusCode.Created, status);
        StoredAlert alert = server.Alerts.Get(answer.GetProperty("id").GetInt64())!;
        (float[] snr, byte[] mask) = Expected();
        Assert.Equal(mask, alert.Mask);
        Assert.Equal(snr, alert.Snr);
        Assert.Equal(4, alert.Classifications.Count);
        if (file == "astropy-primary-snr.fits")
        {
            Assert.Equal("sb26021102", alert.BurstId);
            Assert.Equal(new DateTimeOffset(2026, 2, 11, 19, 24, 23, 604, TimeSpan.Zero), alert.TriggerTime);
            Assert.Equal(12.79, alert.PeakSnr);
            Assert.Equal("IMT", alert.TriggerType);
        }
        else
        {
            Assert.Equal((double)snr[(28 * 56) + 28], alert.PeakSnr!.Value, 6);
        }

        Assert.Equal(HttpStatusCode.OK, (await GroundTestServer.PostAsync(ingest, "/api/alerts", File.ReadAllBytes(TestPaths.Fixture(file)), "application/fits")).Status);
    }

    [Fact]
    public async Task The_projects_own_alert_file_is_taken_with_its_keywords()
    {
        await using GroundTestServer server = await Shared.Sqlite();
        using var ingest = server.Client(server.IngestToken);
        (float[] snr, byte[] mask) = TestAlerts.Make(31, edge: true);
        using var file = new MemoryStream();
        AlertFitsFile.Write(new FitsAlert(56, snr, mask) { PeakSnr = 9.25f, SkyY = 101.5f, SkyZ = 77, OffAxis = 12.5f, Azimuth = 200, Cause = 11, CauseName = "saa", Label = AlertLabel.FalseAlert }, file);
        var (status, answer) = await GroundTestServer.PostAsync(ingest, "/api/alerts", file.ToArray(), "application/fits");
        Assert.Equal(HttpStatusCode.Created, status);
        StoredAlert alert = server.Alerts.Get(answer.GetProperty("id").GetInt64())!;
        Assert.Equal(snr, alert.Snr);
        Assert.Equal(mask, alert.Mask);
        Assert.Equal((9.25, 101.5, 77.0, 12.5, 200.0), (alert.PeakSnr, alert.SkyY, alert.SkyZ, alert.OffAxis, alert.Azimuth));
        Assert.Contains("saa", alert.Details, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("astropy-mask-5.fits", "mask value 5 at row 3, column 30")]
    [InlineData("astropy-nan-in-field.fits", "NaN at row 40, column 40 (FITS pixel 41, 41) where the mask is 1")]
    [InlineData("astropy-60x60.fits", "[60 x 60] pixels (NAXISn), not 56 x 56")]
    [InlineData("truncated", "truncated: the header announces 12544 data bytes")]
    [InlineData("no mask", "no image extension with EXTNAME = 'MASK'")]
    [InlineData("garbage", "outside printable ASCII")]
    public async Task Bad_fits_files_are_refused_and_nothing_is_stored(string file, string reason)
    {
        await using GroundTestServer server = await Shared.Sqlite();
        using var ingest = server.Client(server.IngestToken);
        byte[] good = File.ReadAllBytes(TestPaths.Fixture("astropy-primary-snr.fits"));
        byte[] body = file switch
        {
            "truncated" => good[..5000],
            "no mask" => good[..(2880 * 6)],
            "garbage" => [.. new byte[2880 * 2]],
            _ => File.ReadAllBytes(TestPaths.Fixture(file)),
        };
        var (status, answer) = await GroundTestServer.PostAsync(ingest, "/api/alerts", body, "application/fits");
        Assert.True(status == HttpStatusCode.BadRequest, $"{file}: {status} {answer}");
        string error = answer.GetProperty("error").GetString()!;
        Assert.True(error.Contains(reason, StringComparison.Ordinal), error);
        Assert.Equal(0, server.Alerts.Count());
    }
}
