using System;
using System.IO;
using System.Text;
using Eclairs.Simulation.Formats;
using Xunit;

namespace Eclairs.Tools.Tests;

public class PngTests
{
    [Fact]
    public void Crc32_MatchesTheStandardCheckValues()
    {
        Assert.Equal(0xCBF43926u, Crc32.Compute(Encoding.ASCII.GetBytes("123456789")));
        Assert.Equal(0xAE426082u, Crc32.Compute(Encoding.ASCII.GetBytes("IEND"))); // the bytes every PNG ends with
        byte[] data = new byte[1000];
        new Random(3).NextBytes(data);
        Assert.Equal(PngTestDecoder.BitwiseCrc(data), Crc32.Compute(data));
        Assert.Equal(Crc32.Compute(data), Crc32.Append(Crc32.Compute(data.AsSpan(0, 400)), data.AsSpan(400)));
    }

    private static byte[] Encode(int width, int height, byte[] pixels, PngColorType type = PngColorType.Rgb)
    {
        using var ms = new MemoryStream();
        PngWriter.Write(ms, width, height, pixels, type);
        return ms.ToArray();
    }

    [Fact]
    public void RandomRgb_DecodesToTheSamePixels()
    {
        var pixels = new byte[37 * 23 * 3];
        new Random(1).NextBytes(pixels);
        PngTestDecoder d = PngTestDecoder.Decode(Encode(37, 23, pixels));
        Assert.Equal(37, d.Width);
        Assert.Equal(23, d.Height);
        Assert.Equal(3, d.Channels);
        Assert.Equal(pixels, d.Pixels);
        Assert.Equal(new[] { "IHDR", "IDAT", "IEND" }, d.ChunkTypes);
    }

    [Fact]
    public void Rgba_DecodesToTheSamePixels()
    {
        var pixels = new byte[5 * 4 * 4];
        new Random(2).NextBytes(pixels);
        PngTestDecoder d = PngTestDecoder.Decode(Encode(5, 4, pixels, PngColorType.Rgba));
        Assert.Equal(4, d.Channels);
        Assert.Equal(pixels, d.Pixels);
    }

    [Fact]
    public void SmoothImage_UsesPredictingFilters_AndStillDecodes()
    {
        // Gradients and steps of 128 (whose filtered bytes are -128) exercise every filter and the scoring.
        const int w = 64;
        const int h = 48;
        var pixels = new byte[w * h * 3];
        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++)
            {
                int i = ((y * w) + x) * 3;
                pixels[i] = (byte)(x * 4);
                pixels[i + 1] = (byte)(y * 5);
                pixels[i + 2] = (byte)((x + y) % 2 == 0 ? 0 : 128);
            }
        }

        PngTestDecoder d = PngTestDecoder.Decode(Encode(w, h, pixels));
        Assert.Equal(pixels, d.Pixels);
        Assert.True(d.FilterTypes.Count > 1, "expected the adaptive filter to choose more than one type");
    }

    [Fact]
    public void LargeNoisyImage_SplitsIdat_AndDecodes()
    {
        var pixels = new byte[200 * 150 * 3];
        new Random(4).NextBytes(pixels);
        PngTestDecoder d = PngTestDecoder.Decode(Encode(200, 150, pixels));
        Assert.True(d.ChunkTypes.FindAll(t => t == "IDAT").Count > 1);
        Assert.Equal(pixels, d.Pixels);
    }

    [Fact]
    public void Writer_IsDeterministic()
    {
        var pixels = new byte[16 * 16 * 3];
        new Random(5).NextBytes(pixels);
        Assert.Equal(Encode(16, 16, pixels), Encode(16, 16, pixels));
    }

    [Fact]
    public void Writer_RejectsWrongSizes()
    {
        Assert.Throws<ArgumentException>(() => Encode(2, 2, new byte[11]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Encode(0, 2, Array.Empty<byte>()));
    }
}
