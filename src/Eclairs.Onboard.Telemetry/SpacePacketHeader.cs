using System;
using System.Buffers.Binary;

namespace Eclairs.Onboard.Telemetry;

/// <summary>
/// The 6-byte primary header of a CCSDS space packet (CCSDS 133.0-B-2), big-endian: version (3 bits), type (1),
/// secondary header flag (1), APID (11), sequence flags (2), sequence count (14), packet data length − 1 (16).
/// </summary>
public readonly record struct SpacePacketHeader(int Version, bool IsTelecommand, bool HasSecondaryHeader, int Apid, int SequenceFlags, int SequenceCount, int DataLength)
{
    public const int Size = 6;

    /// <summary>Sequence flags "11": an unsegmented user data field, the only kind this project sends.</summary>
    public const int Unsegmented = 3;

    public const int MaxApid = 0x7FF;

    public const int SequenceCountModulo = 1 << 14;

    /// <summary>Length of the whole packet: header plus the data field it announces.</summary>
    public int PacketLength => Size + DataLength;

    public void Write(Span<byte> destination)
    {
        if ((uint)Apid > MaxApid || (uint)SequenceCount >= SequenceCountModulo || (uint)SequenceFlags > 3 || (uint)Version > 7
            || DataLength is < 1 or > 65536)
        {
            throw new ArgumentOutOfRangeException(nameof(destination), $"header fields out of range: {this}");
        }

        int word0 = (Version << 13) | ((IsTelecommand ? 1 : 0) << 12) | ((HasSecondaryHeader ? 1 : 0) << 11) | Apid;
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)word0);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)((SequenceFlags << 14) | SequenceCount));
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], (ushort)(DataLength - 1));
    }

    public static SpacePacketHeader Read(ReadOnlySpan<byte> source)
    {
        if (source.Length < Size)
        {
            throw new TelemetryFormatException($"a space packet header needs {Size} bytes, {source.Length} left");
        }

        int word0 = BinaryPrimitives.ReadUInt16BigEndian(source);
        int word1 = BinaryPrimitives.ReadUInt16BigEndian(source[2..]);
        int length = BinaryPrimitives.ReadUInt16BigEndian(source[4..]) + 1;
        return new SpacePacketHeader(word0 >> 13, ((word0 >> 12) & 1) == 1, ((word0 >> 11) & 1) == 1, word0 & MaxApid, word1 >> 14, word1 & 0x3FFF, length);
    }
}
