using System;
using System.IO;
using System.Text;
using Eclairs.Simulation.Formats;
using Xunit;

namespace Eclairs.Tools.Tests;

public class AlertFitsTests
{
    private static FitsAlert Sample()
    {
        AlertDataset d = AlertDatasetTests.Sample(3);
        return FitsAlert.FromDataset(d, 1, "column effect");
    }

    [Fact]
    public void RoundTrip_KeepsImagesAndTruth()
    {
        FitsAlert alert = Sample();
        using var ms = new MemoryStream();
        AlertFitsFile.Write(alert, ms);
        Assert.Equal(0, ms.Length % 2880);
        ms.Position = 0;
        FitsAlert back = AlertFitsFile.Read(ms, "alert.fits");
        Assert.Equal(alert.Side, back.Side);
        Assert.Equal(alert.Snr, back.Snr);
        Assert.Equal(alert.Mask, back.Mask);
        Assert.Equal(alert.PeakSnr, back.PeakSnr);
        Assert.Equal(alert.SkyY, back.SkyY);
        Assert.Equal(alert.SkyZ, back.SkyZ);
        Assert.Equal(alert.OffAxis, back.OffAxis);
        Assert.Equal(alert.Azimuth, back.Azimuth);
        Assert.Equal(alert.Cause, back.Cause);
        Assert.Equal("column effect", back.CauseName);
        Assert.Equal(alert.Label, back.Label);
    }

    [Fact]
    public void Layout_IsFloatPrimaryAndByteMaskExtension()
    {
        using var ms = new MemoryStream();
        AlertFitsFile.Write(Sample(), ms);
        var hdus = FitsReader.Read(new MemoryStream(ms.ToArray()));
        Assert.Equal(2, hdus.Count);
        Assert.Equal(-32, hdus[0].Bitpix);
        Assert.Equal(new[] { 56, 56 }, hdus[0].Axes);
        Assert.Equal(8, hdus[1].Bitpix);
        Assert.Equal("MASK", hdus[1].Header.GetText("EXTNAME"));
        foreach (string key in new[] { "PEAKSNR", "SKY_Y", "SKY_Z", "OFFAXIS", "AZIMUTH", "CAUSE", "LABEL" })
        {
            Assert.True(hdus[0].Header.Contains(key), key);
        }
    }

    [Fact]
    public void Read_RejectsMissingKeywordAndBadMask()
    {
        FitsAlert alert = Sample();
        using var ms = new MemoryStream();
        AlertFitsFile.Write(alert, ms);
        byte[] file = ms.ToArray();
        string text = Encoding.ASCII.GetString(file, 0, 2880);
        int label = text.IndexOf("LABEL   =", StringComparison.Ordinal);
        Encoding.ASCII.GetBytes("LABELX  ").CopyTo(file, label);
        var e = Assert.Throws<FitsFormatException>(() => AlertFitsFile.Read(new MemoryStream(file), "a.fits"));
        Assert.Contains("LABEL", e.Message);

        file = ms.ToArray();
        // mask data start after primary header + data (2 blocks of 2880 for 56 x 56 x 4 bytes = 12,544 -> 5 blocks)
        int maskData = 2880 + 5 * 2880 + 2880;
        file[maskData + 10] = 9;
        e = Assert.Throws<FitsFormatException>(() => AlertFitsFile.Read(new MemoryStream(file), "a.fits"));
        Assert.Contains("mask value 9", e.Message);
    }

    [Fact]
    public void Write_RejectsBadMask()
    {
        FitsAlert alert = Sample();
        alert.Mask[0] = 5;
        Assert.Throws<ArgumentException>(() => AlertFitsFile.Write(alert, new MemoryStream()));
    }
}
