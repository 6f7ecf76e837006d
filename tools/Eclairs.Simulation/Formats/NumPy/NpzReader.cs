using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;

namespace Eclairs.Simulation.Formats;

/// <summary>
/// Reads arrays from an .npz archive (numpy.savez or savez_compressed, or <see cref="NpzWriter"/>).
/// Every problem (not a zip, missing array, wrong dtype, wrong size, truncated data) is a
/// <see cref="NumPyFormatException"/> naming the file and the array.
/// </summary>
public sealed class NpzReader : IDisposable
{
    private readonly ZipArchive _zip;
    private readonly Stream? _ownedStream;
    private readonly Dictionary<string, ZipArchiveEntry> _entries = new(StringComparer.Ordinal);

    public NpzReader(string path)
        : this(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16), path, leaveOpen: false)
    {
    }

    public NpzReader(Stream stream, string? sourceName = null, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        SourceName = sourceName;
        try
        {
            _zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException e)
        {
            if (!leaveOpen)
            {
                stream.Dispose();
            }

            throw new NumPyFormatException(sourceName, null, $"not a readable .npz (zip) archive, or truncated: {e.Message}", e);
        }

        _ownedStream = leaveOpen ? null : stream;
        foreach (ZipArchiveEntry entry in _zip.Entries)
        {
            if (entry.FullName.EndsWith(".npy", StringComparison.Ordinal))
            {
                _entries[entry.FullName[..^4]] = entry;
            }
        }
    }

    public string? SourceName { get; }

    /// <summary>The array names, as numpy.load(...).files lists them.</summary>
    public IReadOnlyList<string> Names => _entries.Keys.Order(StringComparer.Ordinal).ToArray();

    public bool Contains(string name) => _entries.ContainsKey(name);

    /// <summary>Reads one array, requiring its dtype to be the one of <typeparamref name="T"/>.</summary>
    public NdArray<T> Read<T>(string name) where T : unmanaged
    {
        ZipArchiveEntry entry = Find(name);
        try
        {
            using Stream s = entry.Open();
            return NpyReader.Read<T>(s, SourceName, name, entry.Length);
        }
        catch (InvalidDataException e)
        {
            throw new NumPyFormatException(SourceName, name, $"corrupt or truncated zip entry: {e.Message}", e);
        }
    }

    /// <summary>Reads only an array's dtype and shape.</summary>
    public NpyHeader ReadHeader(string name)
    {
        ZipArchiveEntry entry = Find(name);
        try
        {
            using Stream s = entry.Open();
            return NpyReader.ReadHeader(s, SourceName, name);
        }
        catch (InvalidDataException e)
        {
            throw new NumPyFormatException(SourceName, name, $"corrupt or truncated zip entry: {e.Message}", e);
        }
    }

    public NdArray<float> ReadFloat32(string name) => Read<float>(name);

    public NdArray<double> ReadFloat64(string name) => Read<double>(name);

    public NdArray<byte> ReadUInt8(string name) => Read<byte>(name);

    public NdArray<ushort> ReadUInt16(string name) => Read<ushort>(name);

    public NdArray<int> ReadInt32(string name) => Read<int>(name);

    public NdArray<long> ReadInt64(string name) => Read<long>(name);

    public void Dispose()
    {
        _zip.Dispose();
        _ownedStream?.Dispose();
    }

    private ZipArchiveEntry Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!_entries.TryGetValue(name, out ZipArchiveEntry? entry))
        {
            string have = _entries.Count == 0 ? "none" : string.Join(", ", Names);
            throw new NumPyFormatException(SourceName, name, $"missing array (the archive holds: {have})");
        }

        return entry;
    }
}
