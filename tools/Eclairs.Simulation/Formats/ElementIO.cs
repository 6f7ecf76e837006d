using System;
using System.Buffers;
using System.IO;
using System.Runtime.InteropServices;

namespace Eclairs.Simulation.Formats;

/// <summary>
/// Moves arrays of fixed-size numbers between memory and a stream in a stated byte order
/// (NumPy writes little-endian, FITS big-endian), in bounded chunks so large arrays need no second copy.
/// </summary>
internal static class ElementIO
{
    private const int ChunkBytes = 1 << 16;

    public static void Write<T>(Stream stream, ReadOnlySpan<T> data, bool bigEndian) where T : unmanaged
    {
        ReadOnlySpan<byte> bytes = MemoryMarshal.AsBytes(data);
        int size = Marshal.SizeOf<T>();
        if (!NeedsSwap(size, bigEndian))
        {
            stream.Write(bytes);
            return;
        }

        byte[] buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            int chunk = ChunkBytes / size * size;
            for (int offset = 0; offset < bytes.Length; offset += chunk)
            {
                int n = Math.Min(chunk, bytes.Length - offset);
                Span<byte> part = buffer.AsSpan(0, n);
                bytes.Slice(offset, n).CopyTo(part);
                ReverseEach(part, size);
                stream.Write(part);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Fills <paramref name="data"/> from the stream; throws <see cref="EndOfStreamException"/> when it ends early.</summary>
    public static void Read<T>(Stream stream, Span<T> data, bool bigEndian) where T : unmanaged
    {
        Span<byte> bytes = MemoryMarshal.AsBytes(data);
        stream.ReadExactly(bytes);
        int size = Marshal.SizeOf<T>();
        if (NeedsSwap(size, bigEndian))
        {
            ReverseEach(bytes, size);
        }
    }

    /// <summary>Reinterprets raw bytes stored in the given order as elements of <typeparamref name="T"/>.</summary>
    public static T[] FromBytes<T>(ReadOnlySpan<byte> raw, bool bigEndian) where T : unmanaged
    {
        int size = Marshal.SizeOf<T>();
        var result = new T[raw.Length / size];
        Span<byte> bytes = MemoryMarshal.AsBytes(result.AsSpan());
        raw[..bytes.Length].CopyTo(bytes);
        if (NeedsSwap(size, bigEndian))
        {
            ReverseEach(bytes, size);
        }

        return result;
    }

    private static bool NeedsSwap(int size, bool bigEndian) => size > 1 && bigEndian == BitConverter.IsLittleEndian;

    public static void ReverseEach(Span<byte> bytes, int size)
    {
        for (int i = 0; i + size <= bytes.Length; i += size)
        {
            bytes.Slice(i, size).Reverse();
        }
    }
}
