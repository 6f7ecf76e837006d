using System;
using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Eclairs.Ground.Ingest;

/// <summary>Tells the open alert lists (server-sent events) that an alert was stored or changed.</summary>
public sealed class AlertEvents
{
    private readonly ConcurrentDictionary<Guid, Channel<long>> _subscribers = new();

    public (Guid Id, ChannelReader<long> Reader) Subscribe()
    {
        var channel = Channel.CreateBounded<long>(new BoundedChannelOptions(256) { FullMode = BoundedChannelFullMode.DropOldest });
        var id = Guid.NewGuid();
        _subscribers[id] = channel;
        return (id, channel.Reader);
    }

    public void Unsubscribe(Guid id) => _subscribers.TryRemove(id, out _);

    public void Publish(long alertId)
    {
        foreach (Channel<long> c in _subscribers.Values)
        {
            c.Writer.TryWrite(alertId);
        }
    }
}
