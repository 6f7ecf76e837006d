using System;
using Eclairs.Onboard.Telemetry;

namespace Eclairs.Cli.Commands;

/// <summary>
/// Alert messages for simulated alerts: the facts the simulator knows put in their telemetry fields (observation id,
/// trigger time, image trigger on 20.48 s, sky position, peak SNR, a slew requested at or above
/// <see cref="SlewThreshold"/>); the fields it does not model (counts, satellite position, attitude) stay 0.
/// </summary>
internal static class VhfSequences
{
    /// <summary>SNR above which the demo's alerts ask for a slew (the onboard value is not public).</summary>
    public const float SlewThreshold = 8f;

    public static AlertMessage Message(uint observationId, DateTimeOffset triggerTime, float peakSnr, float skyY, float skyZ, float offAxisDeg, float azimuthDeg, bool knownSource) => new()
    {
        ObservationId = observationId,
        MsgCount = 0,
        TimeTbAbsMicroseconds = VhfTime.ToMicroseconds(triggerTime),
        TimeTbMilliseconds = 20480,
        SlewRequest = peakSnr >= SlewThreshold ? (byte)1 : (byte)0,
        SkyTheta = Scale(Math.Clamp(offAxisDeg, 0, 180), AlertMessage.ThetaUnitDeg),
        SkyPhi = Scale(((azimuthDeg % 360) + 360) % 360, AlertMessage.PhiUnitDeg),
        CatSrcNum = knownSource ? (byte)1 : (byte)0,
        SkyYpix = (byte)Math.Clamp(MathF.Round(skyY), 0, 255),
        SkyZpix = (byte)Math.Clamp(MathF.Round(skyZ), 0, 255),
        SkyYfit = (ushort)Math.Clamp(MathF.Round(skyY * 256), 0, ushort.MaxValue),
        SkyZfit = (ushort)Math.Clamp(MathF.Round(skyZ * 256), 0, ushort.MaxValue),
        TriggerCriterium = AlertMessage.ImageTrigger,
        SkySnr = peakSnr,
        Q0 = 1,
    };

    private static uint Scale(double value, double unit) => (uint)Math.Min((1 << 24) - 1, Math.Round(value / unit));
}
