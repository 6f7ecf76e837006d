using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using Eclairs.Ground.Classifiers;
using Eclairs.Ground.Storage;

namespace Eclairs.Ground.Ingest;

/// <summary>What one alert ingest did: the alert's id, whether it is new, and every model's answer.</summary>
public sealed record IngestOutcome(long Id, bool Created, IReadOnlyList<Classification> Classifications, long? ObservationId = null, bool Incomplete = false);

/// <summary>
/// The one path every alert takes into the store, whatever brought it: duplicate check, classification by every
/// model, one transaction for the alert and its answers, then the live lists are told.
/// </summary>
public sealed class IngestService
{
    private readonly ClassifierBank _bank;
    private readonly AlertStore _alerts;
    private readonly PacketStore _packets;
    private readonly NoticeStore _notices;
    private readonly AlertEvents _events;
    private readonly object _vhfGate = new();

    public IngestService(ClassifierBank bank, AlertStore alerts, PacketStore packets, NoticeStore notices, AlertEvents events, LinkMonitor link)
    {
        _bank = bank;
        _alerts = alerts;
        _packets = packets;
        _notices = notices;
        _events = events;
        Link = link;
    }

    public LinkMonitor Link { get; }

    /// <param name="receivedTimestamp">Stopwatch timestamp of the request's arrival, for the ingest-to-classified latency.</param>
    public IngestOutcome Ingest(AlertInput alert, long receivedTimestamp, Action<System.Data.Common.DbConnection, System.Data.Common.DbTransaction, long>? withinTransaction = null)
    {
        if (_alerts.FindByKey(alert.DedupKey) is long known)
        {
            return Existing(known);
        }

        long receivedUs = Sql.NowMicroseconds() - (long)Stopwatch.GetElapsedTime(receivedTimestamp).TotalMicroseconds;
        // An alert none of whose pixels arrived is stored but not classified: there is nothing to classify.
        IReadOnlyList<Classification> answers = alert.Mask.AsSpan().IndexOfAnyExcept((byte)0) >= 0 ? _bank.Classify(alert.Snr, alert.Mask) : [];
        long latencyUs = (long)Stopwatch.GetElapsedTime(receivedTimestamp).TotalMicroseconds;
        (long id, bool created) = _alerts.Insert(alert, answers, receivedUs, latencyUs, withinTransaction);
        if (!created)
        {
            return Existing(id);
        }

        _events.Publish(id);
        return new IngestOutcome(id, true, answers, alert.ObservationId, alert.Incomplete);
    }

    private IngestOutcome Existing(long id)
    {
        StoredAlert stored = _alerts.Get(id)!;
        return new IngestOutcome(id, false, stored.Classifications, stored.ObservationId, stored.Incomplete);
    }

    /// <summary>The answer to one body of VHF packets.</summary>
    public sealed record VhfOutcome(int Packets, int New, int Duplicates, IReadOnlyList<IngestOutcome> Alerts, IReadOnlyList<long> Pending);

    /// <summary>
    /// Checks every packet of the body first (one bad packet refuses the whole body, nothing stored), stores the new
    /// ones, then assembles every observation whose alert message and sub-image parts are all there.
    /// </summary>
    public VhfOutcome IngestPackets(ReadOnlySpan<byte> body, long receivedTimestamp)
    {
        List<DecodedPacket> packets = VhfDecoder.DecodeAll(body);
        bool[] isNew = _packets.Accept([.. packets.Select(p => (p.Bytes, p.Header.Apid, p.Header.SequenceCount, (long)p.ObservationId))]);
        for (int i = 0; i < packets.Count; i++)
        {
            if (isNew[i])
            {
                Link.Observe(packets[i].Header.Apid, packets[i].Header.SequenceCount);
            }
            else
            {
                Link.Duplicate();
            }
        }

        var outcomes = new List<IngestOutcome>();
        var pending = new List<long>();
        foreach (long obs in packets.Select(p => (long)p.ObservationId).Distinct())
        {
            IngestOutcome? outcome = Assemble(obs, force: false, receivedTimestamp);
            if (outcome is not null)
            {
                outcomes.Add(outcome);
            }
            else if (_alerts.FindByKey(VhfAssembler.KeyOf(obs)) is long known)
            {
                outcomes.Add(Existing(known));
            }
            else
            {
                pending.Add(obs);
            }
        }

        return new VhfOutcome(packets.Count, isNew.Count(n => n), isNew.Count(n => !n), outcomes, pending);
    }

    /// <summary>
    /// Assembles the alert of one observation from its pending packets: when complete, or with <paramref name="force"/>
    /// (its sequence timed out) as an incomplete alert. Packets arriving after their alert was stored are kept and
    /// marked late. Null when there is nothing to do.
    /// </summary>
    public IngestOutcome? Assemble(long observationId, bool force, long receivedTimestamp)
    {
        lock (_vhfGate)
        {
            IReadOnlyList<StoredPacket> stored = _packets.Pending(observationId);
            if (stored.Count == 0)
            {
                return null;
            }

            if (_alerts.FindByKey(VhfAssembler.KeyOf(observationId)) is long existing)
            {
                _packets.MarkLate(observationId, [.. stored.Select(p => p.Id)], existing);
                return null;
            }

            List<DecodedPacket> decoded = [.. stored.Select(p => VhfDecoder.Decode(p.Bytes))];
            if (!force && !VhfAssembler.IsComplete(decoded))
            {
                return null;
            }

            AlertInput alert = VhfAssembler.Assemble(observationId, decoded);
            long[] ids = [.. stored.Select(p => p.Id)];
            return Ingest(alert, receivedTimestamp, (c, tx, alertId) => PacketStore.MarkAssembled(c, tx, observationId, ids, alertId));
        }
    }

    /// <summary>Closes the sequences whose last packet is older than <paramref name="timeout"/>; returns the alerts stored.</summary>
    public IReadOnlyList<IngestOutcome> CloseStale(TimeSpan timeout)
    {
        var outcomes = new List<IngestOutcome>();
        foreach (long obs in _packets.Stale(Sql.NowMicroseconds() - (long)timeout.TotalMicroseconds))
        {
            IngestOutcome? o = Assemble(obs, force: true, Stopwatch.GetTimestamp());
            if (o is not null)
            {
                outcomes.Add(o);
            }
        }

        return outcomes;
    }

    public (long Id, bool Created, long? AlertId) IngestNotice(byte[] xml)
    {
        VoEventNotice notice = VoEventNotice.Parse(xml);
        string text = System.Text.Encoding.UTF8.GetString(xml);
        (long id, bool created, long? alertId) = _notices.Insert(notice, text);
        if (created && alertId is long a)
        {
            _events.Publish(a);
        }

        return (id, created, alertId);
    }
}
