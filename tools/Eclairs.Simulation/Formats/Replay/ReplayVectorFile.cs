using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;

namespace Eclairs.Simulation.Formats.Replay;

/// <summary>One recorded alert and what the library answered for it.</summary>
public sealed record ReplayVector(float[] Snr, byte[] Mask, float Logit, int RawLogit, bool IsTrueAlert);

/// <summary>
/// The <c>.eclv</c> files the HIL harness (tools/hil) replays through ecl_classify: little-endian,
/// "ECLV", u32 version 1, u32 count, u32 numeric format (0 float32, 1 int8), u32 CRC-32 of the model file,
/// then per record f32 snr[3136], u8 mask[3136], f32 logit, i32 raw logit, i32 decision (0/1).
/// Layout in docs/integration.md.
/// </summary>
public static class ReplayVectorFile
{
    public const int Pixels = 3136;
    private const int HeaderBytes = 20;
    private const int RecordBytes = (4 * Pixels) + Pixels + 12;

    public static void Write(string path, uint numericFormat, uint modelChecksum, IReadOnlyList<ReplayVector> vectors)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        using FileStream stream = File.Create(path);
        Span<byte> header = stackalloc byte[HeaderBytes];
        "ECLV"u8.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], 1);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], (uint)vectors.Count);
        BinaryPrimitives.WriteUInt32LittleEndian(header[12..], numericFormat);
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], modelChecksum);
        stream.Write(header);
        var record = new byte[RecordBytes];
        foreach (ReplayVector v in vectors)
        {
            if (v.Snr.Length != Pixels || v.Mask.Length != Pixels)
            {
                throw new ArgumentException($"a replay vector holds {Pixels} SNR and mask values", nameof(vectors));
            }

            for (int i = 0; i < Pixels; i++)
            {
                BinaryPrimitives.WriteSingleLittleEndian(record.AsSpan(4 * i), v.Snr[i]);
            }

            v.Mask.CopyTo(record, 4 * Pixels);
            int tail = 5 * Pixels;
            BinaryPrimitives.WriteSingleLittleEndian(record.AsSpan(tail), v.Logit);
            BinaryPrimitives.WriteInt32LittleEndian(record.AsSpan(tail + 4), v.RawLogit);
            BinaryPrimitives.WriteInt32LittleEndian(record.AsSpan(tail + 8), v.IsTrueAlert ? 1 : 0);
            stream.Write(record);
        }
    }

    public static (uint NumericFormat, uint ModelChecksum, List<ReplayVector> Vectors) Read(string path)
    {
        byte[] file = File.ReadAllBytes(path);
        if (file.Length < HeaderBytes || !file.AsSpan(0, 4).SequenceEqual("ECLV"u8)
            || BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(4)) != 1)
        {
            throw new InvalidDataException($"{path}: not a version-1 .eclv file");
        }

        uint count = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(8));
        if ((long)file.Length != HeaderBytes + ((long)count * RecordBytes))
        {
            throw new InvalidDataException($"{path}: {count} records need {HeaderBytes + ((long)count * RecordBytes)} bytes, the file has {file.Length}");
        }

        var vectors = new List<ReplayVector>((int)count);
        for (int r = 0; r < count; r++)
        {
            ReadOnlySpan<byte> record = file.AsSpan(HeaderBytes + (r * RecordBytes), RecordBytes);
            var snr = new float[Pixels];
            for (int i = 0; i < Pixels; i++)
            {
                snr[i] = BinaryPrimitives.ReadSingleLittleEndian(record[(4 * i)..]);
            }

            int tail = 5 * Pixels;
            vectors.Add(new ReplayVector(snr, record.Slice(4 * Pixels, Pixels).ToArray(),
                BinaryPrimitives.ReadSingleLittleEndian(record[tail..]),
                BinaryPrimitives.ReadInt32LittleEndian(record[(tail + 4)..]),
                BinaryPrimitives.ReadInt32LittleEndian(record[(tail + 8)..]) != 0));
        }

        return (BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(12)), BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(16)), vectors);
    }
}
