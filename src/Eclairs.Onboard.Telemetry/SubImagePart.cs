using System;
using System.Buffers.Binary;

namespace Eclairs.Onboard.Telemetry;

/// <summary>
/// One part of the alert sub-image in the stand-in layout (docs/file-formats.md): a 10-byte part header
/// (observation id u32, Alert_MsgCount u8, part index u8, part count u8, first row u8, row count u8, side u8), then
/// for each row its <c>side</c> SNR values as big-endian IEEE float32 and its mask packed four pixels a byte, two bits
/// each, the first pixel in the high bits.
/// </summary>
public readonly record struct SubImagePart(uint ObservationId, byte MsgCount, int PartIndex, int PartCount, int FirstRow, int RowCount, int Side)
{
    public const int HeaderSize = 10;

    public static int MaskBytesPerRow(int side) => (side + 3) / 4;

    public static int RowBytes(int side) => (side * sizeof(float)) + MaskBytesPerRow(side);

    public int UserDataLength => HeaderSize + (RowCount * RowBytes(Side));

    /// <summary>Writes this part's header and rows of the full row-major <paramref name="snr"/>/<paramref name="mask"/>; returns the length.</summary>
    public int Write(Span<byte> destination, ReadOnlySpan<float> snr, ReadOnlySpan<byte> mask)
    {
        int pixels = Side * Side;
        if (snr.Length != pixels || mask.Length != pixels)
        {
            throw new ArgumentException($"the sub-image holds {Side} x {Side} pixels");
        }

        if (Side is < 1 or > 255 || PartCount is < 1 or > 255 || (uint)PartIndex >= (uint)PartCount || RowCount < 1 || FirstRow < 0 || FirstRow + RowCount > Side)
        {
            throw new ArgumentOutOfRangeException(nameof(destination), $"part fields out of range: {this}");
        }

        if (destination.Length < UserDataLength)
        {
            throw new ArgumentException($"a part of {UserDataLength} bytes does not fit in {destination.Length}", nameof(destination));
        }

        BinaryPrimitives.WriteUInt32BigEndian(destination, ObservationId);
        destination[4] = MsgCount;
        destination[5] = (byte)PartIndex;
        destination[6] = (byte)PartCount;
        destination[7] = (byte)FirstRow;
        destination[8] = (byte)RowCount;
        destination[9] = (byte)Side;
        int at = HeaderSize;
        int maskBytes = MaskBytesPerRow(Side);
        for (int row = FirstRow; row < FirstRow + RowCount; row++)
        {
            for (int c = 0; c < Side; c++)
            {
                BinaryPrimitives.WriteSingleBigEndian(destination[at..], snr[(row * Side) + c]);
                at += sizeof(float);
            }

            Span<byte> packed = destination.Slice(at, maskBytes);
            packed.Clear();
            for (int c = 0; c < Side; c++)
            {
                byte v = mask[(row * Side) + c];
                if (v > 3)
                {
                    throw new ArgumentException($"mask value {v} at row {row}, column {c} does not fit two bits (0..3)", nameof(mask));
                }

                packed[c / 4] |= (byte)(v << (6 - (2 * (c % 4))));
            }

            at += maskBytes;
        }

        return at;
    }

    /// <summary>Reads a part's header and checks that the user data hold exactly its rows.</summary>
    public static SubImagePart ReadHeader(ReadOnlySpan<byte> userData)
    {
        if (userData.Length < HeaderSize)
        {
            throw new TelemetryFormatException($"a sub-image part needs a {HeaderSize}-byte header, {userData.Length} bytes present");
        }

        var part = new SubImagePart(BinaryPrimitives.ReadUInt32BigEndian(userData), userData[4], userData[5], userData[6], userData[7], userData[8], userData[9]);
        if (part.Side == 0 || part.PartCount == 0 || part.PartIndex >= part.PartCount || part.RowCount == 0 || part.FirstRow + part.RowCount > part.Side)
        {
            throw new TelemetryFormatException($"observation {part.ObservationId}: sub-image part {part.PartIndex}/{part.PartCount} rows {part.FirstRow}+{part.RowCount} of side {part.Side} is inconsistent");
        }

        if (userData.Length != part.UserDataLength)
        {
            throw new TelemetryFormatException($"observation {part.ObservationId}: sub-image part {part.PartIndex} announces {part.RowCount} rows ({part.UserDataLength} bytes), the packet holds {userData.Length}");
        }

        return part;
    }

    /// <summary>Copies the part's rows into the full row-major sub-image.</summary>
    public void ReadRows(ReadOnlySpan<byte> userData, Span<float> snr, Span<byte> mask)
    {
        int at = HeaderSize;
        int maskBytes = MaskBytesPerRow(Side);
        for (int row = FirstRow; row < FirstRow + RowCount; row++)
        {
            for (int c = 0; c < Side; c++)
            {
                snr[(row * Side) + c] = BinaryPrimitives.ReadSingleBigEndian(userData[at..]);
                at += sizeof(float);
            }

            for (int c = 0; c < Side; c++)
            {
                mask[(row * Side) + c] = (byte)((userData[at + (c / 4)] >> (6 - (2 * (c % 4)))) & 3);
            }

            at += maskBytes;
        }
    }
}
