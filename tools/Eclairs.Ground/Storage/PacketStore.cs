using System;
using System.Collections.Generic;
using System.Data.Common;
using System.Linq;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Eclairs.Ground.Storage;

/// <summary>A VHF packet as kept until its alert is assembled (and after, for the record).</summary>
public sealed record StoredPacket(long Id, int Apid, int SequenceCount, long ObservationId, long ReceivedUs, byte[] Bytes);

/// <summary>
/// Every accepted VHF packet, stored before it is acknowledged, once (the SHA-256 of its bytes is unique): an alert
/// whose packets were acknowledged can always be assembled again after a crash.
/// </summary>
public sealed class PacketStore
{
    private readonly Database _db;

    public PacketStore(Database db) => _db = db;

    /// <summary>Stores the packets not seen before, in one transaction; returns which were new.</summary>
    public bool[] Accept(IReadOnlyList<(byte[] Bytes, int Apid, int SequenceCount, long ObservationId)> packets) => _db.Write((c, tx) =>
    {
        var isNew = new bool[packets.Count];
        long now = Sql.NowMicroseconds();
        string[] digests = [.. packets.Select(p => Convert.ToHexStringLower(SHA256.HashData(p.Bytes)))];
        // One multi-row statement per chunk (a round trip per packet made PostgreSQL ingest several times slower).
        const int chunk = 400;
        for (int start = 0; start < packets.Count; start += chunk)
        {
            int end = Math.Min(packets.Count, start + chunk);
            var values = new StringBuilder();
            var parameters = new List<(string, object?)>();
            for (int i = start; i < end; i++)
            {
                values.Append(i == start ? "" : ", ").Append(CultureInfo.InvariantCulture, $"(@d{i}, @a{i}, @s{i}, @o{i}, @r, @b{i})");
                parameters.Add(($"d{i}", digests[i]));
                parameters.Add(($"a{i}", (long)packets[i].Apid));
                parameters.Add(($"s{i}", (long)packets[i].SequenceCount));
                parameters.Add(($"o{i}", packets[i].ObservationId));
                parameters.Add(($"b{i}", packets[i].Bytes));
            }

            parameters.Add(("r", now));
            HashSet<string> inserted = [.. Sql.Rows(c, tx,
                $"INSERT INTO vhf_packets (digest, apid, sequence_count, observation_id, received_us, bytes) VALUES {values} ON CONFLICT (digest) DO NOTHING RETURNING digest",
                r => (string)r["digest"], [.. parameters])];
            // A body repeating a packet stores it once: only its first copy counts as new.
            for (int i = start; i < end; i++)
            {
                isNew[i] = inserted.Remove(digests[i]);
            }
        }

        return isNew;
    });

    /// <summary>Packets of an observation not yet part of a stored alert, in arrival order.</summary>
    public IReadOnlyList<StoredPacket> Pending(long observationId) => _db.Read(c => Sql.Rows(c, null,
        "SELECT id, apid, sequence_count, observation_id, received_us, bytes FROM vhf_packets WHERE observation_id = @o AND alert_id IS NULL ORDER BY id",
        r => new StoredPacket(Sql.Long(r, "id")!.Value, (int)Sql.Long(r, "apid")!.Value, (int)Sql.Long(r, "sequence_count")!.Value,
            Sql.Long(r, "observation_id")!.Value, Sql.Long(r, "received_us")!.Value, (byte[])r["bytes"]), ("o", observationId)));

    /// <summary>Observations with pending packets whose last packet came before <paramref name="cutoffUs"/>.</summary>
    public IReadOnlyList<long> Stale(long cutoffUs) => _db.Read(c => Sql.Rows(c, null,
        "SELECT observation_id FROM vhf_packets WHERE alert_id IS NULL GROUP BY observation_id HAVING MAX(received_us) < @cut",
        r => Sql.Long(r, "observation_id")!.Value, ("cut", cutoffUs)));

    /// <summary>Ties packets to their alert (inside the alert's transaction).</summary>
    internal static void MarkAssembled(DbConnection c, DbTransaction tx, long observationId, IReadOnlyCollection<long> packetIds, long alertId)
    {
        if (packetIds.Count > 0)
        {
            Sql.Execute(c, tx, "UPDATE vhf_packets SET alert_id = @a WHERE observation_id = @o AND alert_id IS NULL AND id BETWEEN @lo AND @hi",
                ("a", alertId), ("o", observationId), ("lo", packetIds.Min()), ("hi", packetIds.Max()));
        }
    }

    public void MarkLate(long observationId, IReadOnlyCollection<long> packetIds, long alertId) => _db.Write((c, tx) =>
    {
        MarkAssembled(c, tx, observationId, packetIds, alertId);
        return 0;
    });

    public long Count() => _db.Read(c => Sql.Scalar<long>(c, null, "SELECT COUNT(*) FROM vhf_packets"));
}
