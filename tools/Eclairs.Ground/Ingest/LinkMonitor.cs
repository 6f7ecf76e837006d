using System.Collections.Concurrent;
using System.Threading;
using Eclairs.Onboard.Telemetry;

namespace Eclairs.Ground.Ingest;

/// <summary>
/// Checks the 14-bit sequence count of each APID as new packets arrive: a jump forward counts the packets lost in
/// between, a step back counts a packet out of order. Duplicates never reach it (they are dropped at storage).
/// </summary>
public sealed class LinkMonitor
{
    private readonly ConcurrentDictionary<int, int> _last = new();
    private long _lost;
    private long _outOfOrder;
    private long _duplicates;
    private long _accepted;

    public long Lost => Interlocked.Read(ref _lost);

    public long OutOfOrder => Interlocked.Read(ref _outOfOrder);

    public long Duplicates => Interlocked.Read(ref _duplicates);

    public long Accepted => Interlocked.Read(ref _accepted);

    public void Duplicate() => Interlocked.Increment(ref _duplicates);

    public void Observe(int apid, int sequenceCount)
    {
        Interlocked.Increment(ref _accepted);
        if (!_last.TryGetValue(apid, out int last))
        {
            _last[apid] = sequenceCount;
            return;
        }

        int jump = (sequenceCount - last - 1 + SpacePacketHeader.SequenceCountModulo) % SpacePacketHeader.SequenceCountModulo;
        if (jump < SpacePacketHeader.SequenceCountModulo / 2)
        {
            Interlocked.Add(ref _lost, jump);
            _last[apid] = sequenceCount;
        }
        else
        {
            Interlocked.Increment(ref _outOfOrder);
            Interlocked.Decrement(ref _lost);
        }
    }
}
