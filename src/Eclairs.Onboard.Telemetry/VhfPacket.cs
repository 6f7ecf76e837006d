using System;
using System.Buffers.Binary;

namespace Eclairs.Onboard.Telemetry;

/// <summary>
/// One telemetry packet of the stand-in VHF layout: CCSDS primary header (unsegmented, secondary header present),
/// a 6-byte secondary header with the packet time, the user data, and a 2-byte packet error control (CRC-16 CCITT over
/// every byte before it, header included).
/// </summary>
public static class VhfPacket
{
    public const int SecondaryHeaderSize = 6;

    public const int ErrorControlSize = 2;

    /// <summary>Bytes a packet adds around its user data.</summary>
    public const int Overhead = SpacePacketHeader.Size + SecondaryHeaderSize + ErrorControlSize;

    /// <summary>Writes one packet; returns its length.</summary>
    public static int Write(Span<byte> destination, int apid, int sequenceCount, long packetTimeMicroseconds, ReadOnlySpan<byte> userData)
    {
        int length = Overhead + userData.Length;
        if (destination.Length < length)
        {
            throw new ArgumentException($"a packet of {length} bytes does not fit in {destination.Length}", nameof(destination));
        }

        var header = new SpacePacketHeader(0, false, true, apid, SpacePacketHeader.Unsegmented, sequenceCount, length - SpacePacketHeader.Size);
        header.Write(destination);
        (uint coarse, ushort fine) = VhfTime.ToPacketTime(packetTimeMicroseconds);
        BinaryPrimitives.WriteUInt32BigEndian(destination[SpacePacketHeader.Size..], coarse);
        BinaryPrimitives.WriteUInt16BigEndian(destination[(SpacePacketHeader.Size + 4)..], fine);
        userData.CopyTo(destination[(SpacePacketHeader.Size + SecondaryHeaderSize)..]);
        ushort pec = Crc16Ccitt.Compute(destination[..(length - ErrorControlSize)]);
        BinaryPrimitives.WriteUInt16BigEndian(destination[(length - ErrorControlSize)..], pec);
        return length;
    }

    /// <summary>
    /// Length of the packet at the start of <paramref name="source"/> as its header announces it, for framing a byte
    /// stream; 0 when fewer than 6 bytes are there.
    /// </summary>
    public static int AnnouncedLength(ReadOnlySpan<byte> source) =>
        source.Length < SpacePacketHeader.Size ? 0 : SpacePacketHeader.Read(source).PacketLength;

    /// <summary>Checks one whole packet (header fields, length, packet error control) and returns its parts.</summary>
    /// <exception cref="TelemetryFormatException">What is wrong, in words.</exception>
    public static ParsedVhfPacket Parse(ReadOnlySpan<byte> packet)
    {
        SpacePacketHeader header = SpacePacketHeader.Read(packet);
        if (header.Version != 0)
        {
            throw new TelemetryFormatException($"packet version {header.Version}, expected 0 (CCSDS 133.0-B-2)");
        }

        if (header.IsTelecommand || !header.HasSecondaryHeader || header.SequenceFlags != SpacePacketHeader.Unsegmented)
        {
            throw new TelemetryFormatException($"APID {header.Apid}: expected a telemetry packet with a secondary header, unsegmented (flags 11)");
        }

        if (header.PacketLength != packet.Length)
        {
            throw new TelemetryFormatException($"APID {header.Apid} count {header.SequenceCount}: header announces {header.PacketLength} bytes, {packet.Length} present");
        }

        if (packet.Length < Overhead)
        {
            throw new TelemetryFormatException($"packet of {packet.Length} bytes is shorter than its {Overhead} bytes of header, time and error control");
        }

        ushort expected = Crc16Ccitt.Compute(packet[..^ErrorControlSize]);
        ushort actual = BinaryPrimitives.ReadUInt16BigEndian(packet[^ErrorControlSize..]);
        if (expected != actual)
        {
            throw new TelemetryFormatException($"APID {header.Apid} count {header.SequenceCount}: packet error control 0x{actual:X4}, computed 0x{expected:X4}");
        }

        uint coarse = BinaryPrimitives.ReadUInt32BigEndian(packet[SpacePacketHeader.Size..]);
        ushort fine = BinaryPrimitives.ReadUInt16BigEndian(packet[(SpacePacketHeader.Size + 4)..]);
        return new ParsedVhfPacket(header, VhfTime.FromPacketTime(coarse, fine), SpacePacketHeader.Size + SecondaryHeaderSize, packet.Length - Overhead);
    }
}

/// <summary>A checked packet: its header, packet time (µs since 2000) and where its user data lie in the packet bytes.</summary>
public readonly record struct ParsedVhfPacket(SpacePacketHeader Header, long PacketTimeMicroseconds, int UserDataOffset, int UserDataLength)
{
    public ReadOnlySpan<byte> UserData(ReadOnlySpan<byte> packet) => packet.Slice(UserDataOffset, UserDataLength);
}
