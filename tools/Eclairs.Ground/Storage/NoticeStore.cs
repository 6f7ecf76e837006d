using System;
using System.Collections.Generic;
using System.Data.Common;
using System.Linq;
using System.Text.Json;
using Eclairs.Ground.Ingest;

namespace Eclairs.Ground.Storage;

/// <summary>
/// GCN notices: stored once per IVORN and attached to the alert of the same Burst_Id or, failing that, to the alert
/// whose trigger time is within <see cref="TimeWindowSeconds"/> of the notice's. A notice that arrives first waits
/// and is attached when its alert is stored. Attaching gives the alert its burst id, the slew status, and for a
/// retraction (type 219) the retracted mark.
/// </summary>
public sealed class NoticeStore
{
    public const double TimeWindowSeconds = 30;

    private const long WindowUs = (long)(TimeWindowSeconds * 1_000_000);

    private readonly Database _db;

    public NoticeStore(Database db) => _db = db;

    /// <summary>Stores a notice unless its IVORN is known; returns its id, whether it is new, and the alert it is attached to.</summary>
    public (long Id, bool Created, long? AlertId) Insert(VoEventNotice notice, string xml) => _db.Write((c, tx) =>
    {
        var existing = Sql.Rows(c, tx, "SELECT id, alert_id FROM notices WHERE ivorn = @i", r => (Sql.Long(r, "id")!.Value, Sql.Long(r, "alert_id")), ("i", notice.Ivorn));
        if (existing.Count > 0)
        {
            return (existing[0].Item1, false, existing[0].Item2);
        }

        long? time = notice.TriggerTime is { } t ? AlertStore.ToMicroseconds(t) : null;
        long id = Sql.Scalar<long>(c, tx,
            "INSERT INTO notices (ivorn, packet_type, burst_id, trigger_time_us, received_us, facts, xml) VALUES (@i, @p, @b, @t, @r, @f, @x) RETURNING id",
            ("i", notice.Ivorn), ("p", (long)notice.PacketType), ("b", notice.BurstId), ("t", time), ("r", Sql.NowMicroseconds()),
            ("f", JsonSerializer.Serialize(notice.Facts)), ("x", xml));
        long? alert = MatchAlert(c, tx, notice.BurstId, time);
        if (alert is long a)
        {
            Attach(c, tx, id, a);
        }

        return (id, true, alert);
    });

    public IReadOnlyList<StoredNotice> ForAlert(long alertId) => _db.Read(c => Sql.Rows(c, null,
        "SELECT id, ivorn, packet_type, burst_id, trigger_time_us, received_us, alert_id, facts FROM notices WHERE alert_id = @a ORDER BY id",
        Map, ("a", alertId)));

    public StoredNotice? Get(long id) => _db.Read(c => Sql.Rows(c, null,
        "SELECT id, ivorn, packet_type, burst_id, trigger_time_us, received_us, alert_id, facts FROM notices WHERE id = @i", Map, ("i", id)).FirstOrDefault());

    public static IReadOnlyList<NoticeFact> Facts(StoredNotice notice) =>
        JsonSerializer.Deserialize<List<NoticeFact>>(notice.FactsJson) ?? [];

    /// <summary>Attaches the waiting notices that match a newly stored alert (called inside its transaction).</summary>
    internal static void AttachPendingTo(DbConnection c, DbTransaction tx, long alertId)
    {
        var alert = Sql.Rows(c, tx, "SELECT burst_id, trigger_time_us FROM alerts WHERE id = @a",
            r => (Burst: Sql.Text(r, "burst_id"), Time: Sql.Long(r, "trigger_time_us")), ("a", alertId))[0];
        // Both servers are given only typed (non-null) parameters here: PostgreSQL cannot type "@b IS NOT NULL" on a null.
        var pending = new SortedSet<long>();
        if (alert.Burst is not null)
        {
            pending.UnionWith(Sql.Rows(c, tx, "SELECT id FROM notices WHERE alert_id IS NULL AND burst_id = @b", r => Sql.Long(r, "id")!.Value, ("b", alert.Burst)));
        }

        if (alert.Time is long t)
        {
            pending.UnionWith(Sql.Rows(c, tx, "SELECT id FROM notices WHERE alert_id IS NULL AND trigger_time_us BETWEEN @lo AND @hi",
                r => Sql.Long(r, "id")!.Value, ("lo", t - WindowUs), ("hi", t + WindowUs)));
        }

        foreach (long notice in pending)
        {
            Attach(c, tx, notice, alertId);
        }
    }

    private static long? MatchAlert(DbConnection c, DbTransaction tx, string? burst, long? time)
    {
        if (burst is not null)
        {
            long? byBurst = Sql.Scalar<long?>(c, tx, "SELECT id FROM alerts WHERE burst_id = @b ORDER BY id DESC LIMIT 1", ("b", burst));
            if (byBurst is not null)
            {
                return byBurst;
            }
        }

        if (time is long t)
        {
            return Sql.Rows(c, tx,
                "SELECT id, trigger_time_us, burst_id FROM alerts WHERE trigger_time_us BETWEEN @lo AND @hi",
                r => (Id: Sql.Long(r, "id")!.Value, Time: Sql.Long(r, "trigger_time_us")!.Value, Burst: Sql.Text(r, "burst_id")), ("lo", t - WindowUs), ("hi", t + WindowUs))
                .Where(x => x.Burst is null || x.Burst == burst)
                .OrderBy(x => Math.Abs(x.Time - t)).ThenBy(x => x.Id).Select(x => (long?)x.Id).FirstOrDefault();
        }

        return null;
    }

    private static void Attach(DbConnection c, DbTransaction tx, long noticeId, long alertId)
    {
        var n = Sql.Rows(c, tx, "SELECT packet_type, burst_id, facts FROM notices WHERE id = @n",
            r => (Type: Sql.Long(r, "packet_type")!.Value, Burst: Sql.Text(r, "burst_id"), Facts: Sql.Text(r, "facts")!), ("n", noticeId))[0];
        string? slew = (JsonSerializer.Deserialize<List<NoticeFact>>(n.Facts) ?? []).FirstOrDefault(f => f.Name == "Slew_Status")?.Value;
        Sql.Execute(c, tx, "UPDATE notices SET alert_id = @a WHERE id = @n", ("a", alertId), ("n", noticeId));
        Sql.Execute(c, tx,
            "UPDATE alerts SET burst_id = COALESCE(burst_id, @b), slew_status = COALESCE(@s, slew_status), " +
            "retracted = CASE WHEN @r = 1 THEN 1 ELSE retracted END WHERE id = @a",
            ("b", n.Burst), ("s", slew), ("r", n.Type == VoEventNotice.RetractionType ? 1L : 0L), ("a", alertId));
    }

    private static StoredNotice Map(DbDataReader r) => new(
        Sql.Long(r, "id")!.Value, Sql.Text(r, "ivorn")!, (int)Sql.Long(r, "packet_type")!.Value, Sql.Text(r, "burst_id"),
        Sql.Long(r, "trigger_time_us") is long t ? AlertStore.FromMicroseconds(t) : null,
        AlertStore.FromMicroseconds(Sql.Long(r, "received_us")!.Value), Sql.Long(r, "alert_id"), Sql.Text(r, "facts")!);
}
