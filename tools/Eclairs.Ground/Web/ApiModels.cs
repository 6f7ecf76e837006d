using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Eclairs.Ground.Classifiers;
using Eclairs.Ground.Ingest;
using Eclairs.Ground.Storage;

namespace Eclairs.Ground.Web;

/// <summary>One model's answer: name, number format (float32 / int8), parameter checksum, P(true), threshold, decision.</summary>
public sealed record ClassificationDto(string Model, string NumberFormat, string Checksum, double Probability, double Logit, double Threshold, bool Decision)
{
    public static ClassificationDto Of(Classification c) => new(c.Model, c.NumberFormat, "0x" + c.Checksum.ToString("X8", CultureInfo.InvariantCulture),
        c.Probability, c.Logit, c.Threshold, c.Decision);

    public static List<ClassificationDto> All(IEnumerable<Classification> cs) => [.. cs.Select(Of)];

    /// <summary>Names of the models whose float32 and int8 versions decide differently on this alert.</summary>
    public static List<string> Disagreements(IEnumerable<Classification> cs) =>
        [.. cs.GroupBy(c => c.Model).Where(g => g.Any(c => c.NumberFormat == "int8") && g.Any(c => c.NumberFormat != "int8")
            && g.Select(c => c.Decision).Distinct().Count() > 1).Select(g => g.Key)];
}

/// <summary>The answer to an alert ingest: the alert's id, whether it is new (201) or known (200), every model's answer.</summary>
public sealed record IngestAnswer(long Id, bool Created, bool Incomplete, long? ObservationId, List<ClassificationDto> Classifications, List<string> Int8FloatDisagreements)
{
    public static IngestAnswer Of(IngestOutcome o) => new(o.Id, o.Created, o.Incomplete, o.ObservationId, ClassificationDto.All(o.Classifications),
        ClassificationDto.Disagreements(o.Classifications));
}

/// <summary>The answer to a body of VHF packets.</summary>
public sealed record VhfAnswer(int Packets, int NewPackets, int Duplicates, List<IngestAnswer> Alerts, IReadOnlyList<long> PendingObservations);

public sealed record NoticeAnswer(long Id, bool Created, long? AlertId);

/// <summary>A verdict request: "true", "false" or "unclear", and a comment.</summary>
public sealed record VerdictRequest(string? Verdict, string? Comment);

public sealed record VerdictDto(long Id, long AlertId, string User, string Verdict, string Comment, DateTimeOffset At)
{
    public static VerdictDto Of(StoredVerdict v) => new(v.Id, v.AlertId, v.User, v.VerdictName, v.Comment, v.At);
}

public sealed record NoticeDto(long Id, string Ivorn, int PacketType, string? BurstId, DateTimeOffset? TriggerTime, DateTimeOffset ReceivedAt, IReadOnlyList<NoticeFact> Facts);

/// <summary>An alert in a list: its facts, each model's answer and the latest verdict.</summary>
public record AlertSummaryDto(long Id, string Source, DateTimeOffset ReceivedAt, DateTimeOffset? TriggerTime, string? BurstId, long? ObservationId,
    string? TriggerType, double? PeakSnr, double? SkyY, double? SkyZ, double? Offaxis, double? Azimuth, double? Timescale, bool? SlewRequested,
    string? SlewStatus, bool Incomplete, string? Missing, bool Retracted, List<ClassificationDto> Classifications, List<string> Int8FloatDisagreements,
    VerdictDto? Verdict)
{
    public static AlertSummaryDto Of(StoredAlert a) => new(a.Id, a.Source, a.ReceivedAt, a.TriggerTime, a.BurstId, a.ObservationId, a.TriggerType,
        a.PeakSnr, a.SkyY, a.SkyZ, a.OffAxis, a.Azimuth, a.TimescaleSeconds, a.SlewRequested, a.SlewStatus, a.Incomplete, a.Missing, a.Retracted,
        ClassificationDto.All(a.Classifications), ClassificationDto.Disagreements(a.Classifications), a.LatestVerdict is { } v ? VerdictDto.Of(v) : null);
}

/// <summary>One alert whole: the summary, the pixels (NaN as null), the notices and every verdict.</summary>
public sealed record AlertDto(AlertSummaryDto Alert, float?[] Snr, int[] Mask, List<NoticeDto> Notices, List<VerdictDto> Verdicts, string? Details);
