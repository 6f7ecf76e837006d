using System;
using System.Collections.Generic;
using Eclairs.Onboard.Telemetry;

namespace Eclairs.Ground.Ingest;

/// <summary>One checked VHF packet: its bytes, header, and what it carries (an alert message or a sub-image part).</summary>
public sealed record DecodedPacket(byte[] Bytes, SpacePacketHeader Header, long PacketTimeUs, AlertMessage? Message, SubImagePart? Part)
{
    public uint ObservationId => Message?.ObservationId ?? Part!.Value.ObservationId;
}

/// <summary>
/// Splits a byte stream into space packets by their announced lengths and checks each against the stand-in layout:
/// header fields, length, packet error control, a known APID, a well-formed alert message or sub-image part of side 56
/// whose pixels obey the input rules (mask 0..3, finite SNR where the mask is not 0).
/// </summary>
public static class VhfDecoder
{
    /// <summary>Largest packet the layout produces is under 1 KiB; anything announcing more than this is refused.</summary>
    public const int MaxPacketLength = 4096;

    public static List<DecodedPacket> DecodeAll(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty)
        {
            throw new IngestRefusedException("the body holds no packet");
        }

        var packets = new List<DecodedPacket>();
        int at = 0;
        while (at < body.Length)
        {
            ReadOnlySpan<byte> rest = body[at..];
            if (rest.Length < SpacePacketHeader.Size)
            {
                throw new IngestRefusedException($"packet {packets.Count} at byte {at}: {rest.Length} bytes left, a header needs {SpacePacketHeader.Size} (truncated body)");
            }

            int length = VhfPacket.AnnouncedLength(rest);
            if (length > MaxPacketLength)
            {
                throw new IngestRefusedException($"packet {packets.Count} at byte {at}: announces {length} bytes, more than the {MaxPacketLength} this layout allows");
            }

            if (length > rest.Length)
            {
                throw new IngestRefusedException($"packet {packets.Count} at byte {at}: announces {length} bytes, only {rest.Length} left (truncated body)");
            }

            try
            {
                packets.Add(Decode(rest[..length].ToArray()));
            }
            catch (TelemetryFormatException e)
            {
                throw new IngestRefusedException($"packet {packets.Count} at byte {at}: {e.Message}");
            }

            at += length;
        }

        return packets;
    }

    /// <exception cref="TelemetryFormatException">The packet breaks the layout.</exception>
    public static DecodedPacket Decode(byte[] bytes)
    {
        ParsedVhfPacket parsed = VhfPacket.Parse(bytes);
        ReadOnlySpan<byte> user = parsed.UserData(bytes);
        switch (parsed.Header.Apid)
        {
            case VhfApid.AlertMessage:
                return new DecodedPacket(bytes, parsed.Header, parsed.PacketTimeMicroseconds, AlertMessage.Read(user), null);
            case VhfApid.SubImage:
                SubImagePart part = SubImagePart.ReadHeader(user);
                if (part.Side != AlertInput.Side)
                {
                    throw new TelemetryFormatException($"observation {part.ObservationId}: sub-image side {part.Side}, expected {AlertInput.Side}");
                }

                CheckPixels(part, user);
                return new DecodedPacket(bytes, parsed.Header, parsed.PacketTimeMicroseconds, null, part);
            default:
                throw new TelemetryFormatException($"APID {parsed.Header.Apid} is neither the alert message ({VhfApid.AlertMessage}) nor the sub-image ({VhfApid.SubImage})");
        }
    }

    private static void CheckPixels(SubImagePart part, ReadOnlySpan<byte> user)
    {
        var snr = new float[part.Side * part.Side];
        var mask = new byte[part.Side * part.Side];
        part.ReadRows(user, snr, mask);
        for (int i = part.FirstRow * part.Side; i < (part.FirstRow + part.RowCount) * part.Side; i++)
        {
            if (mask[i] != 0 && (!float.IsFinite(snr[i]) || Math.Abs(snr[i]) > Onboard.Inference.InputLimits.MaxAbsoluteSnr))
            {
                throw new TelemetryFormatException($"observation {part.ObservationId}: SNR {snr[i]} at row {i / part.Side}, column {i % part.Side} where the mask is {mask[i]}");
            }
        }
    }
}
