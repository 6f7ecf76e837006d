using System;
using System.IO;

namespace Eclairs.Simulation.Formats;

/// <summary>Reads .npy files written by NumPy or <see cref="NpyWriter"/>, checking the dtype the caller expects.</summary>
public static class NpyReader
{
    public static NdArray<T> Read<T>(string path) where T : unmanaged
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return Read<T>(file, path);
    }

    /// <summary>Reads one array; <paramref name="fileName"/> and <paramref name="arrayName"/> only label error messages.</summary>
    public static NdArray<T> Read<T>(Stream stream, string? fileName = null, string? arrayName = null, long? available = null)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(stream);
        NumPyFormatException Fail(string detail) => new(fileName, arrayName, detail);

        NpyHeader header = NpyHeader.Read(stream, Fail);
        NpyDType wanted = NpyDType.Of<T>();
        if (!header.DType.SameType(wanted))
        {
            throw Fail($"dtype mismatch: the file holds '{header.DType.Descr}', the caller asked for '{wanted.Descr}' ({typeof(T).Name})");
        }

        if (header.ElementCount > Array.MaxLength)
        {
            throw Fail($"shape ({string.Join(", ", header.Shape)}) is too large for one array");
        }

        if (available is long total && total != header.Length + header.DataBytes)
        {
            throw Fail($"byte count mismatch: header says shape ({string.Join(", ", header.Shape)}) of '{header.DType.Descr}' = {header.DataBytes} data bytes after a {header.Length}-byte header, but the entry holds {total} bytes in all");
        }

        if (available is null && stream.CanSeek && header.DataBytes > stream.Length - stream.Position)
        {
            throw Fail($"truncated: shape ({string.Join(", ", header.Shape)}) of '{header.DType.Descr}' needs {header.DataBytes} data bytes, {stream.Length - stream.Position} remain");
        }

        var data = new T[header.ElementCount];
        try
        {
            ElementIO.Read<T>(stream, data, header.DType.BigEndian);
        }
        catch (EndOfStreamException e)
        {
            throw new NumPyFormatException(fileName, arrayName, $"truncated: shape ({string.Join(", ", header.Shape)}) of '{header.DType.Descr}' needs {header.DataBytes} data bytes", e);
        }

        if (available is null && stream.ReadByte() >= 0)
        {
            throw Fail($"byte count mismatch: data continues after the {header.DataBytes} bytes shape ({string.Join(", ", header.Shape)}) needs");
        }

        return new NdArray<T>(data, header.ShapeArray());
    }

    /// <summary>Reads only the header (dtype and shape).</summary>
    public static NpyHeader ReadHeader(Stream stream, string? fileName = null, string? arrayName = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return NpyHeader.Read(stream, detail => new NumPyFormatException(fileName, arrayName, detail));
    }
}
