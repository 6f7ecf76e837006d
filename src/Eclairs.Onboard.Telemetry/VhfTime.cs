using System;

namespace Eclairs.Onboard.Telemetry;

/// <summary>
/// Times in the stand-in VHF layout: microseconds since <see cref="Epoch"/> (2000-01-01T00:00:00 UTC). The packet
/// time field is CUC-like, 4 bytes of whole seconds and 2 bytes of 1/65536 s. SVOM's own time reference is not public.
/// </summary>
public static class VhfTime
{
    public static readonly DateTimeOffset Epoch = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static long ToMicroseconds(DateTimeOffset time) => (time - Epoch).Ticks / 10;

    public static DateTimeOffset FromMicroseconds(long microseconds) => Epoch.AddTicks(microseconds * 10);

    /// <summary>Splits a time into the packet's coarse seconds and fine 1/65536 s (truncated).</summary>
    public static (uint Coarse, ushort Fine) ToPacketTime(long microseconds)
    {
        if (microseconds < 0 || microseconds / 1_000_000 > uint.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(microseconds), "packet time outside 2000-01-01 .. 2136");
        }

        long seconds = microseconds / 1_000_000;
        long fraction = microseconds % 1_000_000;
        return ((uint)seconds, (ushort)(fraction * 65536 / 1_000_000));
    }

    public static long FromPacketTime(uint coarse, ushort fine) => (coarse * 1_000_000L) + (fine * 1_000_000L / 65536);
}
