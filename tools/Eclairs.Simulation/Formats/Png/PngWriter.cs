using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;
using System.Text;

namespace Eclairs.Simulation.Formats;

/// <summary>PNG colour types this writer produces (8 bits per sample).</summary>
public enum PngColorType : byte
{
    Rgb = 2,
    Rgba = 6,
}

/// <summary>
/// Writes 8-bit RGB or RGBA PNG files (signature, IHDR, IDAT, IEND; CRC-32 per chunk; zlib via ZLibStream).
/// Each scanline gets the filter (None, Sub, Up, Average, Paeth) with the smallest sum of absolute filtered bytes,
/// the heuristic the PNG specification recommends for truecolour images.
/// </summary>
public static class PngWriter
{
    private static readonly byte[] Signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private const int MaxIdatChunk = 1 << 16;

    public static void Write(string path, int width, int height, ReadOnlySpan<byte> pixels, PngColorType colorType = PngColorType.Rgb)
    {
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        Write(file, width, height, pixels, colorType);
    }

    /// <param name="pixels">Rows top to bottom, each row left to right, 3 (RGB) or 4 (RGBA) bytes per pixel.</param>
    public static void Write(Stream stream, int width, int height, ReadOnlySpan<byte> pixels, PngColorType colorType = PngColorType.Rgb)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        int channels = colorType switch
        {
            PngColorType.Rgb => 3,
            PngColorType.Rgba => 4,
            _ => throw new ArgumentOutOfRangeException(nameof(colorType)),
        };
        long expected = (long)width * height * channels;
        if (pixels.Length != expected)
        {
            throw new ArgumentException($"a {width} x {height} {colorType} image needs {expected} bytes, got {pixels.Length}", nameof(pixels));
        }

        stream.Write(Signature);
        Span<byte> ihdr = stackalloc byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(ihdr, (uint)width);
        BinaryPrimitives.WriteUInt32BigEndian(ihdr[4..], (uint)height);
        ihdr[8] = 8; // bit depth
        ihdr[9] = (byte)colorType;
        ihdr[10] = 0; // compression: deflate
        ihdr[11] = 0; // filter method: adaptive, five types
        ihdr[12] = 0; // no interlace
        WriteChunk(stream, "IHDR", ihdr);

        byte[] compressed = Compress(width, height, channels, pixels);
        for (int offset = 0; offset < compressed.Length; offset += MaxIdatChunk)
        {
            WriteChunk(stream, "IDAT", compressed.AsSpan(offset, Math.Min(MaxIdatChunk, compressed.Length - offset)));
        }

        WriteChunk(stream, "IEND", ReadOnlySpan<byte>.Empty);
    }

    private static byte[] Compress(int width, int height, int channels, ReadOnlySpan<byte> pixels)
    {
        int stride = width * channels;
        var previous = new byte[stride];
        var candidates = new byte[5][];
        for (int f = 0; f < 5; f++)
        {
            candidates[f] = new byte[stride + 1];
            candidates[f][0] = (byte)f;
        }

        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            for (int y = 0; y < height; y++)
            {
                ReadOnlySpan<byte> row = pixels.Slice(y * stride, stride);
                int best = 0;
                long bestScore = long.MaxValue;
                for (int f = 0; f < 5; f++)
                {
                    long score = Filter(f, row, previous, channels, candidates[f].AsSpan(1));
                    if (score < bestScore)
                    {
                        bestScore = score;
                        best = f;
                    }
                }

                zlib.Write(candidates[best]);
                row.CopyTo(previous);
            }
        }

        return output.ToArray();
    }

    /// <summary>Applies filter <paramref name="type"/> (PNG spec section 9.2) and returns the sum of |signed filtered bytes|.</summary>
    private static long Filter(int type, ReadOnlySpan<byte> row, ReadOnlySpan<byte> above, int bpp, Span<byte> output)
    {
        long score = 0;
        for (int i = 0; i < row.Length; i++)
        {
            int a = i >= bpp ? row[i - bpp] : 0;
            int b = above[i];
            int c = i >= bpp ? above[i - bpp] : 0;
            int predictor = type switch
            {
                0 => 0,
                1 => a,
                2 => b,
                3 => (a + b) >> 1,
                _ => Paeth(a, b, c),
            };
            byte v = (byte)(row[i] - predictor);
            output[i] = v;
            score += Math.Abs((int)(sbyte)v); // widen first: Math.Abs(sbyte.MinValue) overflows
        }

        return score;
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c;
        int pa = Math.Abs(p - a);
        int pb = Math.Abs(p - b);
        int pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    private static void WriteChunk(Stream stream, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> head = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32BigEndian(head, (uint)data.Length);
        Encoding.ASCII.GetBytes(type, head[4..]);
        stream.Write(head);
        stream.Write(data);
        uint crc = Crc32.Append(Crc32.Compute(head[4..]), data);
        Span<byte> tail = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(tail, crc);
        stream.Write(tail);
    }
}
