using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;

namespace Eclairs.Simulation.Formats;

/// <summary>
/// One header-data unit holding an image (or nothing): BITPIX, the axis lengths (NAXIS1 first: the fast,
/// column axis), the optional keywords and the pixels. Data are kept in FITS byte order (big-endian).
/// A 2-D image of H rows and W columns stored row-major (index = row * W + column) has axes [W, H].
/// </summary>
public sealed class FitsHdu
{
    private readonly int[] _axes;
    private readonly byte[] _bigEndianData;

    internal FitsHdu(int bitpix, int[] axes, byte[] bigEndianData, string? extensionType, FitsHeader header)
    {
        Bitpix = bitpix;
        _axes = axes;
        _bigEndianData = bigEndianData;
        ExtensionType = extensionType;
        Header = header;
    }

    /// <summary>8 (uint8), 16, 32, 64 (signed integers), -32 (float32) or -64 (float64).</summary>
    public int Bitpix { get; }

    public IReadOnlyList<int> Axes => _axes;

    /// <summary>NAXIS1: pixels per row.</summary>
    public int Width => _axes.Length > 0 ? _axes[0] : 0;

    /// <summary>NAXIS2: rows.</summary>
    public int Height => _axes.Length > 1 ? _axes[1] : (_axes.Length == 1 ? 1 : 0);

    /// <summary>"IMAGE" (or another XTENSION value) for extensions, null for the primary HDU as read.</summary>
    public string? ExtensionType { get; }

    public FitsHeader Header { get; }

    public long PixelCount => _axes.Length == 0 ? 0 : (long)_bigEndianData.Length / BytesPerPixel(Bitpix);

    internal ReadOnlySpan<byte> BigEndianData => _bigEndianData;

    public static FitsHdu Image(ReadOnlySpan<float> pixels, params int[] axes) => Create(-32, pixels, axes);

    public static FitsHdu Image(ReadOnlySpan<double> pixels, params int[] axes) => Create(-64, pixels, axes);

    public static FitsHdu Image(ReadOnlySpan<byte> pixels, params int[] axes) => Create(8, pixels, axes);

    public static FitsHdu Image(ReadOnlySpan<short> pixels, params int[] axes) => Create(16, pixels, axes);

    public static FitsHdu Image(ReadOnlySpan<int> pixels, params int[] axes) => Create(32, pixels, axes);

    /// <summary>A header-only HDU (NAXIS = 0).</summary>
    public static FitsHdu Empty() => new(8, [], [], null, new FitsHeader());

    public float[] GetFloat32() => Decode<float>(-32);

    public double[] GetFloat64() => Decode<double>(-64);

    public byte[] GetUInt8() => Decode<byte>(8);

    public short[] GetInt16() => Decode<short>(16);

    public int[] GetInt32() => Decode<int>(32);

    public long[] GetInt64() => Decode<long>(64);

    public static int BytesPerPixel(int bitpix) => bitpix switch
    {
        8 => 1,
        16 => 2,
        32 or -32 => 4,
        64 or -64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(bitpix), $"BITPIX {bitpix} is not one of 8, 16, 32, 64, -32, -64"),
    };

    private static FitsHdu Create<T>(int bitpix, ReadOnlySpan<T> pixels, int[] axes) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(axes);
        if (axes.Length is 0 or > 999)
        {
            throw new ArgumentException("an image needs 1 to 999 axes", nameof(axes));
        }

        long count = 1;
        foreach (int n in axes)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(n, nameof(axes));
            count *= n;
        }

        if (count != pixels.Length)
        {
            throw new ArgumentException($"axes [{string.Join(", ", axes)}] hold {count} pixels but {pixels.Length} were given", nameof(pixels));
        }

        byte[] data = MemoryMarshal.AsBytes(pixels).ToArray();
        if (BitConverter.IsLittleEndian)
        {
            ElementIO.ReverseEach(data, BytesPerPixel(bitpix));
        }

        return new FitsHdu(bitpix, (int[])axes.Clone(), data, null, new FitsHeader());
    }

    private T[] Decode<T>(int bitpix) where T : unmanaged
    {
        if (Bitpix != bitpix)
        {
            throw new FitsFormatException($"the image has BITPIX {Bitpix}, not {bitpix}");
        }

        bool scaled = (Header.TryGet("BSCALE", out FitsCard s) && s.Value is not (1.0 or 1L))
            || (Header.TryGet("BZERO", out FitsCard z) && z.Value is not (0.0 or 0L));
        if (scaled)
        {
            throw new FitsFormatException("scaled images (BSCALE/BZERO other than 1/0) are not supported");
        }

        return ElementIO.FromBytes<T>(_bigEndianData, bigEndian: true);
    }
}
