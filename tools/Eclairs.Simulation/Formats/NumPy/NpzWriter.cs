using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;

namespace Eclairs.Simulation.Formats;

/// <summary>How the arrays of an .npz archive are stored: as numpy.savez (stored) or numpy.savez_compressed (deflated).</summary>
public enum NpzCompression
{
    Stored,
    Deflated,
}

/// <summary>
/// Writes an .npz archive: a zip file with one "name.npy" entry per array, readable by numpy.load.
/// Entries carry a fixed timestamp so the same arrays always give the same bytes.
/// </summary>
public sealed class NpzWriter : IDisposable
{
    private static readonly DateTimeOffset FixedTime = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly ZipArchive _zip;
    private readonly Stream? _ownedStream;
    private readonly CompressionLevel _level;
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    public NpzWriter(string path, NpzCompression compression = NpzCompression.Stored)
        : this(new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16), compression, leaveOpen: false)
    {
    }

    public NpzWriter(Stream stream, NpzCompression compression = NpzCompression.Stored, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
        _ownedStream = leaveOpen ? null : stream;
        _level = compression == NpzCompression.Deflated ? CompressionLevel.Optimal : CompressionLevel.NoCompression;
    }

    /// <summary>Adds an array; <paramref name="shape"/> must multiply out to the data's length (an empty shape is a scalar).</summary>
    public void WriteArray<T>(string name, ReadOnlySpan<T> data, params int[] shape) where T : unmanaged
    {
        ZipArchiveEntry entry = CreateEntry(name, shape);
        using Stream s = entry.Open();
        NpyWriter.Write(s, data, shape);
    }

    private ZipArchiveEntry CreateEntry(string name, int[] shape)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(shape);
        if (name.Contains('/', StringComparison.Ordinal) || name.Contains('\\', StringComparison.Ordinal))
        {
            throw new ArgumentException($"array name '{name}' must not contain a path separator", nameof(name));
        }

        if (!_names.Add(name))
        {
            throw new ArgumentException($"array '{name}' was already written", nameof(name));
        }

        ZipArchiveEntry entry = _zip.CreateEntry(name + ".npy", _level);
        entry.LastWriteTime = FixedTime;
        return entry;
    }

    /// <summary>
    /// Adds an array given as consecutive parts (concatenated along the first axis, for instance), each written as it
    /// comes: the whole array is never in memory. The entry's bytes are those <see cref="WriteArray{T}(string, ReadOnlySpan{T}, int[])"/>
    /// writes for the concatenation.
    /// </summary>
    public void WriteArray<T>(string name, int[] shape, IEnumerable<T[]> parts) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(parts);
        ZipArchiveEntry entry = CreateEntry(name, shape);
        var header = new NpyHeader(NpyDType.Of<T>(), shape);
        using Stream s = entry.Open();
        header.Write(s);
        long written = 0;
        foreach (T[] part in parts)
        {
            ElementIO.Write(s, (ReadOnlySpan<T>)part, bigEndian: false);
            written += part.Length;
        }

        if (written != header.ElementCount)
        {
            throw new ArgumentException($"shape ({string.Join(", ", shape)}) holds {header.ElementCount} elements but the parts held {written}", nameof(parts));
        }
    }

    public void WriteArray<T>(string name, NdArray<T> array) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(array);
        WriteArray<T>(name, array.Data, [.. array.Shape]);
    }

    public void Dispose()
    {
        _zip.Dispose();
        _ownedStream?.Dispose();
    }
}
