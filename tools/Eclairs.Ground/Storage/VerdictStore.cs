using System.Collections.Generic;
using System.Data.Common;
using System.Linq;

namespace Eclairs.Ground.Storage;

/// <summary>Verdicts of the Burst Advocates: every one kept (who, when, what, why); the latest one counts as the label.</summary>
public sealed class VerdictStore
{
    private readonly Database _db;

    public VerdictStore(Database db) => _db = db;

    /// <summary>Records a verdict; null when the alert does not exist.</summary>
    public StoredVerdict? Add(long alertId, string user, int verdict, string comment) => _db.Write((c, tx) =>
    {
        if (Sql.Scalar<long?>(c, tx, "SELECT id FROM alerts WHERE id = @a", ("a", alertId)) is null)
        {
            return null;
        }

        long now = Sql.NowMicroseconds();
        long id = Sql.Scalar<long>(c, tx, "INSERT INTO verdicts (alert_id, user_name, verdict, comment, at_us) VALUES (@a, @u, @v, @c, @t) RETURNING id",
            ("a", alertId), ("u", user), ("v", (long)verdict), ("c", comment), ("t", now));
        return new StoredVerdict(id, alertId, user, verdict, comment, AlertStore.FromMicroseconds(now));
    });

    public IReadOnlyList<StoredVerdict> History(long alertId) => _db.Read(c =>
        Sql.Rows(c, null, "SELECT id, alert_id, user_name, verdict, comment, at_us FROM verdicts WHERE alert_id = @a ORDER BY id", Map, ("a", alertId)));

    /// <summary>The latest verdict of every judged alert, in alert order.</summary>
    public IReadOnlyList<StoredVerdict> Latest() => _db.Read<List<StoredVerdict>>(c =>
        [.. LatestBetween(c, 0, long.MaxValue).Values.OrderBy(v => v.AlertId)]);

    internal static Dictionary<long, StoredVerdict> LatestBetween(DbConnection c, long min, long max) =>
        Sql.Rows(c, null,
            "SELECT v.id, v.alert_id, v.user_name, v.verdict, v.comment, v.at_us FROM verdicts v " +
            "WHERE v.alert_id BETWEEN @min AND @max AND v.id = (SELECT MAX(w.id) FROM verdicts w WHERE w.alert_id = v.alert_id)",
            Map, ("min", min), ("max", max)).ToDictionary(v => v.AlertId);

    private static StoredVerdict Map(DbDataReader r) => new(
        Sql.Long(r, "id")!.Value, Sql.Long(r, "alert_id")!.Value, Sql.Text(r, "user_name")!, (int)Sql.Long(r, "verdict")!.Value,
        Sql.Text(r, "comment")!, AlertStore.FromMicroseconds(Sql.Long(r, "at_us")!.Value));
}
