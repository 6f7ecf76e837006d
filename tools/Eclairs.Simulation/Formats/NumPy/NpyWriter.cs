using System;
using System.IO;

namespace Eclairs.Simulation.Formats;

/// <summary>Writes one array as a .npy file (format version 1.0, little-endian, C order), as numpy.save does.</summary>
public static class NpyWriter
{
    public static void Write<T>(Stream stream, ReadOnlySpan<T> data, params int[] shape) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(shape);
        var header = new NpyHeader(NpyDType.Of<T>(), shape);
        if (header.ElementCount != data.Length)
        {
            throw new ArgumentException($"shape ({string.Join(", ", shape)}) holds {header.ElementCount} elements but the data has {data.Length}", nameof(data));
        }

        header.Write(stream);
        ElementIO.Write(stream, data, bigEndian: false);
    }

    public static void Write<T>(string path, ReadOnlySpan<T> data, params int[] shape) where T : unmanaged
    {
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        Write(file, data, shape);
    }

    public static void Write<T>(Stream stream, NdArray<T> array) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(array);
        Write<T>(stream, array.Data, [.. array.Shape]);
    }
}
