using System;

namespace Eclairs.Onboard.Telemetry;

/// <summary>
/// The onboard packetizer: turns an alert (its message and its 56 x 56 sub-image) into the VHF packets of its
/// sequence, the alert message first, then the sub-image in parts of <see cref="RowsPerPart"/> rows. Keeps one 14-bit
/// sequence count per APID across alerts, as a packet source does. Writes into a caller's buffer; allocates nothing.
/// </summary>
public sealed class AlertSequenceWriter
{
    /// <summary>Rows per sub-image part: 4 rows of 56 pixels make 976-byte packets, 14 parts a sub-image.</summary>
    public const int RowsPerPart = 4;

    private int _alertCount;
    private int _subImageCount;

    /// <summary>Sequence counts the next packets will carry (settable to resume a source).</summary>
    public int NextAlertSequenceCount { get => _alertCount; set => _alertCount = value % SpacePacketHeader.SequenceCountModulo; }

    public int NextSubImageSequenceCount { get => _subImageCount; set => _subImageCount = value % SpacePacketHeader.SequenceCountModulo; }

    public static int PartsFor(int side) => (side + RowsPerPart - 1) / RowsPerPart;

    /// <summary>Bytes <see cref="Write"/> needs for one alert of the given side.</summary>
    public static int SequenceBytes(int side)
    {
        int bytes = VhfPacket.Overhead + AlertMessage.Size;
        for (int part = 0; part < PartsFor(side); part++)
        {
            int rows = Math.Min(RowsPerPart, side - (part * RowsPerPart));
            bytes += VhfPacket.Overhead + SubImagePart.HeaderSize + (rows * SubImagePart.RowBytes(side));
        }

        return bytes;
    }

    /// <summary>
    /// Writes the alert message at <paramref name="packetTimeMicroseconds"/> and each sub-image part one
    /// <paramref name="packetSpacingMicroseconds"/> later than the previous (the VHF link carries about one packet a second).
    /// Returns the bytes written.
    /// </summary>
    public int Write(Span<byte> destination, AlertMessage message, ReadOnlySpan<float> snr, ReadOnlySpan<byte> mask, int side,
        long packetTimeMicroseconds, long packetSpacingMicroseconds = 1_000_000)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (destination.Length < SequenceBytes(side))
        {
            throw new ArgumentException($"an alert sequence of side {side} needs {SequenceBytes(side)} bytes", nameof(destination));
        }

        Span<byte> user = stackalloc byte[AlertMessage.Size];
        message.Write(user);
        int at = VhfPacket.Write(destination, VhfApid.AlertMessage, Next(ref _alertCount), packetTimeMicroseconds, user);
        int parts = PartsFor(side);
        for (int index = 0; index < parts; index++)
        {
            int first = index * RowsPerPart;
            var part = new SubImagePart(message.ObservationId, message.MsgCount, index, parts, first, Math.Min(RowsPerPart, side - first), side);
            Span<byte> packet = destination[at..];
            // The part's user data are written in place, after the room for the primary and secondary headers.
            int userLength = part.Write(packet[(SpacePacketHeader.Size + VhfPacket.SecondaryHeaderSize)..], snr, mask);
            at += VhfPacket.Write(packet, VhfApid.SubImage, Next(ref _subImageCount),
                packetTimeMicroseconds + ((index + 1) * packetSpacingMicroseconds),
                packet.Slice(SpacePacketHeader.Size + VhfPacket.SecondaryHeaderSize, userLength));
        }

        return at;
    }

    private static int Next(ref int count)
    {
        int value = count;
        count = (count + 1) % SpacePacketHeader.SequenceCountModulo;
        return value;
    }
}
