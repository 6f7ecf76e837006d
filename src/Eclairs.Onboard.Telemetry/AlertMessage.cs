using System;
using System.Buffers.Binary;

namespace Eclairs.Onboard.Telemetry;

/// <summary>
/// The public fields of an ECLAIRs alert message ("Fiches produits ECL VHF", 2017), in the stand-in byte layout of
/// docs/file-formats.md (big-endian, <see cref="Size"/> bytes of user data). Scaled fields keep their telemetry units
/// here; the properties in degrees and pixels convert.
/// </summary>
public sealed record AlertMessage
{
    public const int Size = 85;

    /// <summary>Unit of Alert_SkyTheta: 180 / 2^24 degrees.</summary>
    public const double ThetaUnitDeg = 180.0 / (1 << 24);

    /// <summary>Unit of Alert_SkyPhi: 360 / 2^24 degrees.</summary>
    public const double PhiUnitDeg = 360.0 / (1 << 24);

    /// <summary>Unit of Alert_SkyYfit and Alert_SkyZfit: 1/256 pixel.</summary>
    public const double FitUnitPixels = 1.0 / 256;

    public uint ObservationId { get; init; }

    /// <summary>Alert_MsgCount: 0 for the first alert message of an observation (its packet time is T0).</summary>
    public byte MsgCount { get; init; }

    /// <summary>Alert_TimeTbAbs (56 bits): start of the trigger's time bin, µs since 2000-01-01 UTC.</summary>
    public long TimeTbAbsMicroseconds { get; init; }

    /// <summary>Alert_TimeTb: the trigger's timescale, ms.</summary>
    public uint TimeTbMilliseconds { get; init; }

    /// <summary>Alert_SlewRequest: 1 when the trigger asked the satellite to slew.</summary>
    public byte SlewRequest { get; init; }

    /// <summary>Alert_SkyTheta (24 bits): off-axis angle in units of <see cref="ThetaUnitDeg"/>.</summary>
    public uint SkyTheta { get; init; }

    /// <summary>Alert_SkyPhi (24 bits): azimuth in units of <see cref="PhiUnitDeg"/>.</summary>
    public uint SkyPhi { get; init; }

    /// <summary>Alert_CatSrcNum: onboard catalogue number of the source the peak matched, 0 for none.</summary>
    public byte CatSrcNum { get; init; }

    /// <summary>Alert_SkyYpix: trigger column in the sky image.</summary>
    public byte SkyYpix { get; init; }

    /// <summary>Alert_SkyZpix: trigger row in the sky image.</summary>
    public byte SkyZpix { get; init; }

    /// <summary>Alert_SkyYfit: fitted column, 1/256 pixel.</summary>
    public ushort SkyYfit { get; init; }

    /// <summary>Alert_SkyZfit: fitted row, 1/256 pixel.</summary>
    public ushort SkyZfit { get; init; }

    public uint SkyCnt { get; init; }

    public uint SkyCntFit { get; init; }

    public uint SkyVar { get; init; }

    /// <summary>Alert_Quality: the trigger's quality flags.</summary>
    public ushort Quality { get; init; }

    /// <summary>Alert_TriggerCriterium: 1 count-rate trigger (CRT), 2 image trigger (IMT).</summary>
    public byte TriggerCriterium { get; init; }

    /// <summary>Alert_DetCounts (24 bits).</summary>
    public uint DetCounts { get; init; }

    /// <summary>Alert_DetBkg (24 bits).</summary>
    public uint DetBkg { get; init; }

    /// <summary>Sat_Position X, Y, Z: km, Earth-centred inertial.</summary>
    public float SatX { get; init; }

    public float SatY { get; init; }

    public float SatZ { get; init; }

    /// <summary>Sat_Attitude Q0..Q3: attitude quaternion.</summary>
    public float Q0 { get; init; }

    public float Q1 { get; init; }

    public float Q2 { get; init; }

    public float Q3 { get; init; }

    public byte AttQuality { get; init; }

    public byte AttRef { get; init; }

    /// <summary>SNR of the trigger pixel: not among the public fields, added by this project's stand-in layout.</summary>
    public float SkySnr { get; init; }

    public const byte CountRateTrigger = 1;

    public const byte ImageTrigger = 2;

    public double OffAxisDeg => SkyTheta * ThetaUnitDeg;

    public double AzimuthDeg => SkyPhi * PhiUnitDeg;

    public void Write(Span<byte> d)
    {
        if (d.Length < Size)
        {
            throw new ArgumentException($"an alert message needs {Size} bytes", nameof(d));
        }

        Check(TimeTbAbsMicroseconds is >= 0 and < (1L << 56), "Alert_TimeTbAbs");
        Check(SkyTheta < (1 << 24) && SkyPhi < (1 << 24), "Alert_SkyTheta/Phi");
        Check(DetCounts < (1 << 24) && DetBkg < (1 << 24), "Alert_DetCounts/DetBkg");
        BinaryPrimitives.WriteUInt32BigEndian(d, ObservationId);
        d[4] = MsgCount;
        WriteUInt56(d[5..], TimeTbAbsMicroseconds);
        BinaryPrimitives.WriteUInt32BigEndian(d[12..], TimeTbMilliseconds);
        d[16] = SlewRequest;
        WriteUInt24(d[17..], SkyTheta);
        WriteUInt24(d[20..], SkyPhi);
        d[23] = CatSrcNum;
        d[24] = SkyYpix;
        d[25] = SkyZpix;
        BinaryPrimitives.WriteUInt16BigEndian(d[26..], SkyYfit);
        BinaryPrimitives.WriteUInt16BigEndian(d[28..], SkyZfit);
        BinaryPrimitives.WriteUInt32BigEndian(d[30..], SkyCnt);
        BinaryPrimitives.WriteUInt32BigEndian(d[34..], SkyCntFit);
        BinaryPrimitives.WriteUInt32BigEndian(d[38..], SkyVar);
        BinaryPrimitives.WriteUInt16BigEndian(d[42..], Quality);
        d[44] = TriggerCriterium;
        WriteUInt24(d[45..], DetCounts);
        WriteUInt24(d[48..], DetBkg);
        BinaryPrimitives.WriteSingleBigEndian(d[51..], SatX);
        BinaryPrimitives.WriteSingleBigEndian(d[55..], SatY);
        BinaryPrimitives.WriteSingleBigEndian(d[59..], SatZ);
        BinaryPrimitives.WriteSingleBigEndian(d[63..], Q0);
        BinaryPrimitives.WriteSingleBigEndian(d[67..], Q1);
        BinaryPrimitives.WriteSingleBigEndian(d[71..], Q2);
        BinaryPrimitives.WriteSingleBigEndian(d[75..], Q3);
        d[79] = AttQuality;
        d[80] = AttRef;
        BinaryPrimitives.WriteSingleBigEndian(d[81..], SkySnr);
    }

    public static AlertMessage Read(ReadOnlySpan<byte> s)
    {
        if (s.Length != Size)
        {
            throw new TelemetryFormatException($"an alert message holds {Size} bytes of user data, this packet {s.Length}");
        }

        var message = new AlertMessage
        {
            ObservationId = BinaryPrimitives.ReadUInt32BigEndian(s),
            MsgCount = s[4],
            TimeTbAbsMicroseconds = ReadUInt56(s[5..]),
            TimeTbMilliseconds = BinaryPrimitives.ReadUInt32BigEndian(s[12..]),
            SlewRequest = s[16],
            SkyTheta = ReadUInt24(s[17..]),
            SkyPhi = ReadUInt24(s[20..]),
            CatSrcNum = s[23],
            SkyYpix = s[24],
            SkyZpix = s[25],
            SkyYfit = BinaryPrimitives.ReadUInt16BigEndian(s[26..]),
            SkyZfit = BinaryPrimitives.ReadUInt16BigEndian(s[28..]),
            SkyCnt = BinaryPrimitives.ReadUInt32BigEndian(s[30..]),
            SkyCntFit = BinaryPrimitives.ReadUInt32BigEndian(s[34..]),
            SkyVar = BinaryPrimitives.ReadUInt32BigEndian(s[38..]),
            Quality = BinaryPrimitives.ReadUInt16BigEndian(s[42..]),
            TriggerCriterium = s[44],
            DetCounts = ReadUInt24(s[45..]),
            DetBkg = ReadUInt24(s[48..]),
            SatX = BinaryPrimitives.ReadSingleBigEndian(s[51..]),
            SatY = BinaryPrimitives.ReadSingleBigEndian(s[55..]),
            SatZ = BinaryPrimitives.ReadSingleBigEndian(s[59..]),
            Q0 = BinaryPrimitives.ReadSingleBigEndian(s[63..]),
            Q1 = BinaryPrimitives.ReadSingleBigEndian(s[67..]),
            Q2 = BinaryPrimitives.ReadSingleBigEndian(s[71..]),
            Q3 = BinaryPrimitives.ReadSingleBigEndian(s[75..]),
            AttQuality = s[79],
            AttRef = s[80],
            SkySnr = BinaryPrimitives.ReadSingleBigEndian(s[81..]),
        };
        if (message.TriggerCriterium is not (CountRateTrigger or ImageTrigger))
        {
            throw new TelemetryFormatException($"observation {message.ObservationId}: Alert_TriggerCriterium {message.TriggerCriterium} is neither 1 (CRT) nor 2 (IMT)");
        }

        if (!float.IsFinite(message.SkySnr))
        {
            throw new TelemetryFormatException($"observation {message.ObservationId}: the trigger SNR is not finite");
        }

        return message;
    }

    private static void Check(bool ok, string field)
    {
        if (!ok)
        {
            throw new ArgumentOutOfRangeException(field, $"{field} does not fit its telemetry field");
        }
    }

    private static void WriteUInt24(Span<byte> d, uint v)
    {
        d[0] = (byte)(v >> 16);
        d[1] = (byte)(v >> 8);
        d[2] = (byte)v;
    }

    private static uint ReadUInt24(ReadOnlySpan<byte> s) => ((uint)s[0] << 16) | ((uint)s[1] << 8) | s[2];

    private static void WriteUInt56(Span<byte> d, long v)
    {
        for (int i = 0; i < 7; i++)
        {
            d[i] = (byte)(v >> (8 * (6 - i)));
        }
    }

    private static long ReadUInt56(ReadOnlySpan<byte> s)
    {
        long v = 0;
        for (int i = 0; i < 7; i++)
        {
            v = (v << 8) | s[i];
        }

        return v;
    }
}
