using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Text;
using Xunit;

namespace Eclairs.Tools.Tests;

/// <summary>
/// An independent PNG reader for the tests, written from the PNG specification (W3C, 3rd edition): checks the
/// signature, chunk order and every chunk's CRC (bitwise CRC-32, no table), inflates the IDAT stream and undoes
/// the five scanline filters.
/// </summary>
internal sealed class PngTestDecoder
{
    public int Width { get; private set; }

    public int Height { get; private set; }

    public int Channels { get; private set; }

    public byte[] Pixels { get; private set; } = [];

    public List<string> ChunkTypes { get; } = [];

    public HashSet<int> FilterTypes { get; } = [];

    public static uint BitwiseCrc(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
            {
                crc = (crc >> 1) ^ (0xEDB88320u & (uint)-(int)(crc & 1));
            }
        }

        return ~crc;
    }

    public static PngTestDecoder Decode(byte[] png)
    {
        var d = new PngTestDecoder();
        Assert.Equal(new byte[] { 137, 80, 78, 71, 13, 10, 26, 10 }, png[..8]);
        using var idat = new MemoryStream();
        int pos = 8;
        while (pos < png.Length)
        {
            int length = (png[pos] << 24) | (png[pos + 1] << 16) | (png[pos + 2] << 8) | png[pos + 3];
            string type = Encoding.ASCII.GetString(png, pos + 4, 4);
            byte[] data = png[(pos + 8)..(pos + 8 + length)];
            uint stored = (uint)((png[pos + 8 + length] << 24) | (png[pos + 9 + length] << 16) | (png[pos + 10 + length] << 8) | png[pos + 11 + length]);
            Assert.Equal(BitwiseCrc(png.AsSpan((pos + 4)..(pos + 8 + length))), stored);
            d.ChunkTypes.Add(type);
            if (type == "IHDR")
            {
                Assert.Equal(13, length);
                d.Width = (data[0] << 24) | (data[1] << 16) | (data[2] << 8) | data[3];
                d.Height = (data[4] << 24) | (data[5] << 16) | (data[6] << 8) | data[7];
                Assert.Equal(8, data[8]); // bit depth
                d.Channels = data[9] switch { 2 => 3, 6 => 4, _ => throw new InvalidDataException("colour type") };
                Assert.Equal(0, data[10]);
                Assert.Equal(0, data[11]);
                Assert.Equal(0, data[12]);
            }
            else if (type == "IDAT")
            {
                idat.Write(data);
            }

            pos += 12 + length;
        }

        Assert.Equal(png.Length, pos);
        Assert.Equal("IHDR", d.ChunkTypes[0]);
        Assert.Equal("IEND", d.ChunkTypes[^1]);

        idat.Position = 0;
        using var zlib = new ZLibStream(idat, CompressionMode.Decompress);
        using var raw = new MemoryStream();
        zlib.CopyTo(raw);
        byte[] filtered = raw.ToArray();
        int stride = d.Width * d.Channels;
        Assert.Equal(d.Height * (stride + 1), filtered.Length);
        d.Pixels = new byte[d.Height * stride];
        for (int y = 0; y < d.Height; y++)
        {
            int type = filtered[y * (stride + 1)];
            d.FilterTypes.Add(type);
            for (int i = 0; i < stride; i++)
            {
                int x = filtered[(y * (stride + 1)) + 1 + i];
                int a = i >= d.Channels ? d.Pixels[(y * stride) + i - d.Channels] : 0;
                int b = y > 0 ? d.Pixels[((y - 1) * stride) + i] : 0;
                int c = i >= d.Channels && y > 0 ? d.Pixels[((y - 1) * stride) + i - d.Channels] : 0;
                int predictor = type switch
                {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    4 => PaethPredictor(a, b, c),
                    _ => throw new InvalidDataException($"filter type {type}"),
                };
                d.Pixels[(y * stride) + i] = (byte)(x + predictor);
            }
        }

        return d;
    }

    // As written in the specification, section 9.4.
    private static int PaethPredictor(int a, int b, int c)
    {
        int p = a + b - c;
        int pa = Math.Abs(p - a);
        int pb = Math.Abs(p - b);
        int pc = Math.Abs(p - c);
        if (pa <= pb && pa <= pc)
        {
            return a;
        }

        return pb <= pc ? b : c;
    }
}
