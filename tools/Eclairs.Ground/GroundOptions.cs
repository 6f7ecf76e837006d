using System;

namespace Eclairs.Ground;

/// <summary>What <c>eclairs serve</c> is told (docs/ground.md).</summary>
public sealed class GroundOptions
{
    /// <summary>Folder of the embedded SQLite database (eclairs.db), created on first start.</summary>
    public string DataDir { get; init; } = "eclairs-data";

    /// <summary>Npgsql connection string; when set the data go to PostgreSQL instead of SQLite.</summary>
    public string? Postgres { get; init; }

    /// <summary>Folder of .eclw models (every one classifies every alert).</summary>
    public required string ModelsDir { get; init; }

    /// <summary>ASP.NET Core URLs to listen on (http://127.0.0.1:5080 by default).</summary>
    public string Urls { get; init; } = "http://127.0.0.1:5080";

    /// <summary>TCP endpoint for raw VHF packets ("PORT" on loopback, or "HOST:PORT"); none when null.</summary>
    public string? VhfListen { get; init; }

    /// <summary>Folder watched for VOEvent notices (*.xml); none when null.</summary>
    public string? NoticesDir { get; init; }

    /// <summary>How long after its last packet a sequence missing parts is stored as incomplete.</summary>
    public TimeSpan VhfTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Largest request body of each kind (413 beyond).</summary>
    public int MaxAlertBytes { get; init; } = 1 << 20;

    public int MaxNoticeBytes { get; init; } = 256 << 10;

    public int MaxVhfBytes { get; init; } = 16 << 20;
}
