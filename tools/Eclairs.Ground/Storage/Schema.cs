using System.Collections.Generic;

namespace Eclairs.Ground.Storage;

/// <summary>
/// The schema, as numbered migrations applied in order at start (schema_version records each). The same tables on
/// both servers; only the id and binary column types differ. Times are microseconds since 1970 (UTC) in BIGINT.
/// </summary>
internal static class Schema
{
    public static IEnumerable<(int Version, string[] Statements)> Migrations(Database db)
    {
        string id = db.IdColumn, blob = db.Blob;
        yield return (1,
        [
            $"""
            CREATE TABLE alerts (
              id {id},
              dedup_key TEXT NOT NULL UNIQUE,
              source TEXT NOT NULL,
              received_us BIGINT NOT NULL,
              stored_us BIGINT NOT NULL,
              ingest_latency_us BIGINT NOT NULL,
              trigger_time_us BIGINT NULL,
              burst_id TEXT NULL,
              observation_id BIGINT NULL,
              trigger_type TEXT NULL,
              peak_snr DOUBLE PRECISION NULL,
              sky_y DOUBLE PRECISION NULL,
              sky_z DOUBLE PRECISION NULL,
              off_axis DOUBLE PRECISION NULL,
              azimuth DOUBLE PRECISION NULL,
              timescale_s DOUBLE PRECISION NULL,
              slew_requested BIGINT NULL,
              slew_status TEXT NULL,
              incomplete BIGINT NOT NULL,
              missing TEXT NULL,
              retracted BIGINT NOT NULL DEFAULT 0,
              details TEXT NULL,
              snr {blob} NOT NULL,
              mask {blob} NOT NULL
            )
            """,
            "CREATE INDEX alerts_burst ON alerts (burst_id)",
            "CREATE INDEX alerts_trigger_time ON alerts (trigger_time_us)",
            """
            CREATE TABLE classifications (
              alert_id BIGINT NOT NULL REFERENCES alerts (id),
              model_name TEXT NOT NULL,
              model_checksum BIGINT NOT NULL,
              number_format TEXT NOT NULL,
              probability DOUBLE PRECISION NOT NULL,
              logit DOUBLE PRECISION NOT NULL,
              threshold DOUBLE PRECISION NOT NULL,
              decision BIGINT NOT NULL,
              classified_us BIGINT NOT NULL,
              PRIMARY KEY (alert_id, model_name, model_checksum)
            )
            """,
            $"""
            CREATE TABLE notices (
              id {id},
              ivorn TEXT NOT NULL UNIQUE,
              packet_type BIGINT NOT NULL,
              burst_id TEXT NULL,
              trigger_time_us BIGINT NULL,
              received_us BIGINT NOT NULL,
              alert_id BIGINT NULL REFERENCES alerts (id),
              facts TEXT NOT NULL,
              xml TEXT NOT NULL
            )
            """,
            "CREATE INDEX notices_alert ON notices (alert_id)",
            $"""
            CREATE TABLE verdicts (
              id {id},
              alert_id BIGINT NOT NULL REFERENCES alerts (id),
              user_name TEXT NOT NULL,
              verdict BIGINT NOT NULL,
              comment TEXT NOT NULL,
              at_us BIGINT NOT NULL
            )
            """,
            "CREATE INDEX verdicts_alert ON verdicts (alert_id)",
            $"""
            CREATE TABLE users (
              id {id},
              name TEXT NOT NULL UNIQUE,
              role TEXT NOT NULL,
              password_hash TEXT NOT NULL,
              created_us BIGINT NOT NULL
            )
            """,
            $"""
            CREATE TABLE tokens (
              id {id},
              name TEXT NOT NULL,
              role TEXT NOT NULL,
              token_hash TEXT NOT NULL UNIQUE,
              created_us BIGINT NOT NULL
            )
            """,
            $"""
            CREATE TABLE vhf_packets (
              id {id},
              digest TEXT NOT NULL UNIQUE,
              apid BIGINT NOT NULL,
              sequence_count BIGINT NOT NULL,
              observation_id BIGINT NOT NULL,
              received_us BIGINT NOT NULL,
              alert_id BIGINT NULL REFERENCES alerts (id),
              bytes {blob} NOT NULL
            )
            """,
            "CREATE INDEX vhf_packets_pending ON vhf_packets (observation_id, alert_id)",
        ]);
    }
}
