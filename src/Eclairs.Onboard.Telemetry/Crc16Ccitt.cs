using System;

namespace Eclairs.Onboard.Telemetry;

/// <summary>
/// The packet error control of ECSS-E-ST-70-41C: CRC-16 CCITT, polynomial 0x1021, initial value 0xFFFF, no bit
/// reflection, no final XOR (the "CCITT-FALSE" parameters; check value of "123456789" is 0x29B1).
/// </summary>
public static class Crc16Ccitt
{
    public const ushort Initial = 0xFFFF;

    private static readonly ushort[] Table = BuildTable();

    public static ushort Compute(ReadOnlySpan<byte> data) => Update(Initial, data);

    public static ushort Update(ushort crc, ReadOnlySpan<byte> data)
    {
        foreach (byte b in data)
        {
            crc = (ushort)((crc << 8) ^ Table[(crc >> 8) ^ b]);
        }

        return crc;
    }

    private static ushort[] BuildTable()
    {
        var table = new ushort[256];
        for (int i = 0; i < 256; i++)
        {
            int crc = i << 8;
            for (int bit = 0; bit < 8; bit++)
            {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }

            table[i] = (ushort)crc;
        }

        return table;
    }
}
