using System;
using System.Collections.Generic;
using Eclairs.Ground.Classifiers;

namespace Eclairs.Ground.Storage;

/// <summary>An alert as stored: its facts (null where unknown), pixels and everything attached to it.</summary>
public sealed class StoredAlert
{
    public long Id { get; init; }
    public string Source { get; init; } = "";
    public DateTimeOffset ReceivedAt { get; init; }
    public long IngestLatencyMicroseconds { get; init; }
    public DateTimeOffset? TriggerTime { get; init; }
    public string? BurstId { get; init; }
    public long? ObservationId { get; init; }
    public string? TriggerType { get; init; }
    public double? PeakSnr { get; init; }
    public double? SkyY { get; init; }
    public double? SkyZ { get; init; }
    public double? OffAxis { get; init; }
    public double? Azimuth { get; init; }
    public double? TimescaleSeconds { get; init; }
    public bool? SlewRequested { get; init; }
    public string? SlewStatus { get; init; }
    public bool Incomplete { get; init; }
    public string? Missing { get; init; }
    public bool Retracted { get; init; }
    public string? Details { get; init; }
    public float[] Snr { get; init; } = [];
    public byte[] Mask { get; init; } = [];
    public IReadOnlyList<Classification> Classifications { get; init; } = [];
    public StoredVerdict? LatestVerdict { get; init; }
}

/// <summary>One verdict of a Burst Advocate: 0 false, 1 true, 2 unclear (the npz label codes).</summary>
public sealed record StoredVerdict(long Id, long AlertId, string User, int Verdict, string Comment, DateTimeOffset At)
{
    public string VerdictName => Verdict switch { 0 => "false", 1 => "true", _ => "unclear" };

    public static int? Parse(string? text) => text switch { "false" => 0, "true" => 1, "unclear" => 2, _ => null };
}

/// <summary>A notice as stored, with the alert it is attached to (if any).</summary>
public sealed record StoredNotice(long Id, string Ivorn, int PacketType, string? BurstId, DateTimeOffset? TriggerTime, DateTimeOffset ReceivedAt, long? AlertId, string FactsJson);
