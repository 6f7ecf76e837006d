using System;
using System.Collections.Generic;
using System.Data.Common;
using System.Linq;
using System.Runtime.InteropServices;
using Eclairs.Ground.Classifiers;
using Eclairs.Ground.Ingest;

namespace Eclairs.Ground.Storage;

/// <summary>Alerts and their classifications: one transaction writes an alert, every model's answer and the notices it takes.</summary>
public sealed class AlertStore
{
    private const string Columns =
        "id, source, received_us, ingest_latency_us, trigger_time_us, burst_id, observation_id, trigger_type, peak_snr, sky_y, sky_z, " +
        "off_axis, azimuth, timescale_s, slew_requested, slew_status, incomplete, missing, retracted, details";

    private readonly Database _db;

    public AlertStore(Database db) => _db = db;

    public Database Database => _db;

    public long? FindByKey(string dedupKey) =>
        _db.Read(c => Sql.Scalar<long?>(c, null, "SELECT id FROM alerts WHERE dedup_key = @k", ("k", dedupKey)));

    /// <summary>
    /// Stores an alert and its classifications unless an alert with the same key exists; attaches the notices that
    /// match it. Returns the alert's id and whether this call created it.
    /// </summary>
    public (long Id, bool Created) Insert(AlertInput alert, IReadOnlyList<Classification> classifications, long receivedUs, long latencyUs,
        Action<DbConnection, DbTransaction, long>? withinTransaction = null)
    {
        return _db.Write((c, tx) =>
        {
            long? existing = Sql.Scalar<long?>(c, tx, "SELECT id FROM alerts WHERE dedup_key = @k", ("k", alert.DedupKey));
            if (existing is long id)
            {
                return (id, false);
            }

            long now = Sql.NowMicroseconds();
            long newId = Sql.Scalar<long>(c, tx,
                "INSERT INTO alerts (dedup_key, source, received_us, stored_us, ingest_latency_us, trigger_time_us, burst_id, observation_id, " +
                "trigger_type, peak_snr, sky_y, sky_z, off_axis, azimuth, timescale_s, slew_requested, incomplete, missing, details, snr, mask) VALUES " +
                "(@key, @source, @received, @stored, @latency, @time, @burst, @obs, @type, @peak, @y, @z, @off, @az, @ts, @slew, @incomplete, @missing, @details, @snr, @mask) RETURNING id",
                ("key", alert.DedupKey), ("source", alert.Source), ("received", receivedUs), ("stored", now), ("latency", latencyUs),
                ("time", alert.TriggerTime is { } t ? ToMicroseconds(t) : null),
                ("burst", alert.BurstId), ("obs", alert.ObservationId), ("type", alert.TriggerType), ("peak", alert.EffectivePeakSnr),
                ("y", alert.SkyY), ("z", alert.SkyZ), ("off", alert.OffAxis), ("az", alert.Azimuth), ("ts", alert.TimescaleSeconds),
                ("slew", alert.SlewRequested is bool b ? (b ? 1L : 0L) : null), ("incomplete", alert.Incomplete ? 1L : 0L),
                ("missing", alert.Missing), ("details", alert.Details),
                ("snr", MemoryMarshal.AsBytes(alert.Snr.AsSpan()).ToArray()), ("mask", alert.Mask));
            foreach (Classification k in classifications)
            {
                Sql.Execute(c, tx,
                    "INSERT INTO classifications (alert_id, model_name, model_checksum, number_format, probability, logit, threshold, decision, classified_us) " +
                    "VALUES (@a, @n, @c, @f, @p, @l, @t, @d, @at)",
                    ("a", newId), ("n", k.Model), ("c", (long)k.Checksum), ("f", k.NumberFormat), ("p", k.Probability), ("l", k.Logit),
                    ("t", k.Threshold), ("d", k.Decision ? 1L : 0L), ("at", now));
            }

            withinTransaction?.Invoke(c, tx, newId);
            NoticeStore.AttachPendingTo(c, tx, newId);
            return (newId, true);
        });
    }

    public StoredAlert? Get(long id) => _db.Read(c =>
    {
        List<StoredAlert> rows = Sql.Rows(c, null, $"SELECT {Columns}, snr, mask FROM alerts WHERE id = @id", r => Map(r, withPixels: true), ("id", id));
        if (rows.Count == 0)
        {
            return null;
        }

        StoredAlert a = rows[0];
        return Attach(c, [a])[0];
    });

    /// <summary>Alerts newest first; with <paramref name="afterId"/> only those stored after it; with <paramref name="since"/> only those received since.</summary>
    public IReadOnlyList<StoredAlert> List(long? afterId, DateTimeOffset? since, int limit) => _db.Read(c =>
    {
        List<StoredAlert> rows = Sql.Rows(c, null,
            $"SELECT {Columns} FROM alerts WHERE id > @after AND received_us >= @since ORDER BY id DESC LIMIT @limit",
            r => Map(r, withPixels: false), ("after", afterId ?? 0L), ("since", since is { } s ? s.ToUnixTimeMilliseconds() * 1000 : 0L), ("limit", (long)limit));
        return Attach(c, rows);
    });

    public long Count() => _db.Read(c => Sql.Scalar<long>(c, null, "SELECT COUNT(*) FROM alerts"));

    /// <summary>Every alert id with its dedup key (for the reliability checks).</summary>
    public IReadOnlyList<(long Id, string Key, long LatencyUs)> Keys() => _db.Read(c =>
        Sql.Rows(c, null, "SELECT id, dedup_key, ingest_latency_us FROM alerts ORDER BY id", r => (Sql.Long(r, "id")!.Value, Sql.Text(r, "dedup_key")!, Sql.Long(r, "ingest_latency_us")!.Value)));

    private static List<StoredAlert> Attach(DbConnection c, List<StoredAlert> alerts)
    {
        if (alerts.Count == 0)
        {
            return alerts;
        }

        long min = alerts.Min(a => a.Id), max = alerts.Max(a => a.Id);
        var classes = Sql.Rows(c, null,
            "SELECT alert_id, model_name, model_checksum, number_format, probability, logit, threshold, decision FROM classifications " +
            "WHERE alert_id BETWEEN @min AND @max ORDER BY alert_id, model_name",
            r => (Id: Sql.Long(r, "alert_id")!.Value, K: new Classification(Sql.Text(r, "model_name")!, Sql.Text(r, "number_format")!,
                (uint)Sql.Long(r, "model_checksum")!.Value, Sql.Double(r, "probability")!.Value, Sql.Double(r, "logit")!.Value,
                Sql.Double(r, "threshold")!.Value, Sql.Flag(r, "decision"))),
            ("min", min), ("max", max)).ToLookup(x => x.Id, x => x.K);
        Dictionary<long, StoredVerdict> latest = VerdictStore.LatestBetween(c, min, max);
        return [.. alerts.Select(a => new StoredAlert
        {
            Id = a.Id, Source = a.Source, ReceivedAt = a.ReceivedAt, IngestLatencyMicroseconds = a.IngestLatencyMicroseconds, TriggerTime = a.TriggerTime,
            BurstId = a.BurstId, ObservationId = a.ObservationId, TriggerType = a.TriggerType, PeakSnr = a.PeakSnr, SkyY = a.SkyY, SkyZ = a.SkyZ,
            OffAxis = a.OffAxis, Azimuth = a.Azimuth, TimescaleSeconds = a.TimescaleSeconds, SlewRequested = a.SlewRequested, SlewStatus = a.SlewStatus,
            Incomplete = a.Incomplete, Missing = a.Missing, Retracted = a.Retracted, Details = a.Details, Snr = a.Snr, Mask = a.Mask,
            Classifications = [.. classes[a.Id]],
            LatestVerdict = latest.GetValueOrDefault(a.Id),
        })];
    }

    private static StoredAlert Map(DbDataReader r, bool withPixels) => new()
    {
        Id = Sql.Long(r, "id")!.Value,
        Source = Sql.Text(r, "source")!,
        ReceivedAt = FromMicroseconds(Sql.Long(r, "received_us")!.Value),
        IngestLatencyMicroseconds = Sql.Long(r, "ingest_latency_us")!.Value,
        TriggerTime = Sql.Long(r, "trigger_time_us") is long t ? FromMicroseconds(t) : null,
        BurstId = Sql.Text(r, "burst_id"),
        ObservationId = Sql.Long(r, "observation_id"),
        TriggerType = Sql.Text(r, "trigger_type"),
        PeakSnr = Sql.Double(r, "peak_snr"),
        SkyY = Sql.Double(r, "sky_y"),
        SkyZ = Sql.Double(r, "sky_z"),
        OffAxis = Sql.Double(r, "off_axis"),
        Azimuth = Sql.Double(r, "azimuth"),
        TimescaleSeconds = Sql.Double(r, "timescale_s"),
        SlewRequested = Sql.Long(r, "slew_requested") is long s ? s != 0 : null,
        SlewStatus = Sql.Text(r, "slew_status"),
        Incomplete = Sql.Flag(r, "incomplete"),
        Missing = Sql.Text(r, "missing"),
        Retracted = Sql.Flag(r, "retracted"),
        Details = Sql.Text(r, "details"),
        Snr = withPixels ? MemoryMarshal.Cast<byte, float>((byte[])r["snr"]).ToArray() : [],
        Mask = withPixels ? (byte[])r["mask"] : [],
    };

    public static DateTimeOffset FromMicroseconds(long us) => DateTimeOffset.UnixEpoch.AddTicks(us * 10);

    public static long ToMicroseconds(DateTimeOffset t) => (t - DateTimeOffset.UnixEpoch).Ticks / 10;
}
