using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Text;
using Eclairs.Ground.Ingest;
using Eclairs.Onboard.Telemetry;
using Xunit;

namespace Eclairs.Ground.Tests;

/// <summary>The onboard packetizer against the CCSDS and ECSS texts, and the ground decoder against the packetizer.</summary>
public sealed class TelemetryTests
{
    /// <summary>CRC-16 computed bit by bit as ECSS-E-ST-70-41C's annex writes it (shift register, polynomial 0x1021).</summary>
    private static ushort BitwiseCrc(ReadOnlySpan<byte> data)
    {
        int crc = 0xFFFF;
        foreach (byte b in data)
        {
            for (int bit = 7; bit >= 0; bit--)
            {
                int input = (b >> bit) & 1;
                int top = (crc >> 15) & 1;
                crc = (crc << 1) & 0xFFFF;
                if ((top ^ input) == 1)
                {
                    crc ^= 0x1021;
                }
            }
        }

        return (ushort)crc;
    }

    [Fact]
    public void Crc_matches_the_check_value_and_a_bitwise_register()
    {
        Assert.Equal(0x29B1, Crc16Ccitt.Compute(Encoding.ASCII.GetBytes("123456789")));
        var rng = new Random(3);
        for (int n = 0; n < 50; n++)
        {
            var data = new byte[rng.Next(0, 300)];
            rng.NextBytes(data);
            Assert.Equal(BitwiseCrc(data), Crc16Ccitt.Compute(data));
        }
    }

    [Fact]
    public void Primary_header_bits_are_where_ccsds_133_puts_them()
    {
        Span<byte> h = stackalloc byte[6];
        new SpacePacketHeader(0, false, true, 0x521, 3, 0x1234, 976 - 6).Write(h);
        // 000 0 1 10100100001 | 11 01001000110100 | 969 = 0x03C9
        Assert.Equal(new byte[] { 0x0D, 0x21, 0xD2, 0x34, 0x03, 0xC9 }, h.ToArray());
        SpacePacketHeader back = SpacePacketHeader.Read(h);
        Assert.Equal((0, false, true, 0x521, 3, 0x1234, 970), (back.Version, back.IsTelecommand, back.HasSecondaryHeader, back.Apid, back.SequenceFlags, back.SequenceCount, back.DataLength));
    }

    [Fact]
    public void A_sequence_is_an_alert_message_and_fourteen_parts_that_decode_to_the_same_pixels()
    {
        (float[] snr, byte[] mask) = TestAlerts.Make(1, edge: true, knownSource: true);
        var writer = new AlertSequenceWriter { NextAlertSequenceCount = 16383, NextSubImageSequenceCount = 16380 };
        var buffer = new byte[AlertSequenceWriter.SequenceBytes(56)];
        var message = new AlertMessage { ObservationId = 77, TimeTbAbsMicroseconds = 827_000_000_123_456, SkySnr = 9.5f, TriggerCriterium = 2, SkyTheta = 1 << 23, SkyPhi = 12345, DetCounts = 0xABCDEF, SatX = 6800.5f };
        int length = writer.Write(buffer, message, snr, mask, 56, 827_000_002_000_000);
        Assert.Equal(buffer.Length, length);
        List<DecodedPacket> packets = VhfDecoder.DecodeAll(buffer);
        Assert.Equal(15, packets.Count);
        Assert.Equal(message, packets[0].Message);
        Assert.Equal(16383, packets[0].Header.SequenceCount);
        Assert.Equal(0, writer.NextAlertSequenceCount);
        Assert.Equal([16380, 16381, 16382, 16383, 0, 1], packets.GetRange(1, 6).ConvertAll(p => p.Header.SequenceCount));
        Assert.All(packets, p => Assert.True(p.Bytes.Length <= 976));
        AlertInput alert = VhfAssembler.Assemble(77, packets);
        Assert.False(alert.Incomplete);
        Assert.Equal(mask, alert.Mask);
        for (int i = 0; i < snr.Length; i++)
        {
            Assert.Equal(BitConverter.SingleToInt32Bits(snr[i]), BitConverter.SingleToInt32Bits(alert.Snr[i]));
        }

        Assert.Equal(90.0, alert.OffAxis!.Value, 6);
        Assert.Equal(9.5, alert.PeakSnr!.Value, 6);
    }

    [Fact]
    public void A_flipped_bit_anywhere_fails_the_packet_error_control()
    {
        (float[] snr, byte[] mask) = TestAlerts.Make(2);
        var buffer = new byte[AlertSequenceWriter.SequenceBytes(56)];
        new AlertSequenceWriter().Write(buffer, new AlertMessage { ObservationId = 1, TriggerCriterium = 2 }, snr, mask, 56, 1_000_000);
        int first = VhfPacket.AnnouncedLength(buffer);
        byte[] part = buffer.AsSpan(first, VhfPacket.AnnouncedLength(buffer.AsSpan(first))).ToArray();
        for (int bit = 6 * 8; bit < part.Length * 8; bit += 97)
        {
            byte[] bad = (byte[])part.Clone();
            bad[bit / 8] ^= (byte)(1 << (bit % 8));
            TelemetryFormatException e = Assert.Throws<TelemetryFormatException>(() => VhfPacket.Parse(bad));
            Assert.Contains("packet error control", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Mask_values_pack_two_bits_each_high_bits_first()
    {
        var snr = new float[56 * 56];
        var mask = new byte[56 * 56];
        mask[0] = 3;
        mask[1] = 2;
        mask[2] = 1;
        mask[3] = 0;
        mask[4] = 2;
        var part = new SubImagePart(5, 0, 0, 14, 0, 4, 56);
        var user = new byte[part.UserDataLength];
        part.Write(user, snr, mask);
        int maskAt = SubImagePart.HeaderSize + (56 * 4);
        Assert.Equal(0b11_10_01_00, user[maskAt]);
        Assert.Equal(0b10_00_00_00, user[maskAt + 1]);
        Assert.Equal(5u, BinaryPrimitives.ReadUInt32BigEndian(user));
    }
}
