using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Eclairs.Ground.Classifiers;
using Eclairs.Ground.Ingest;
using Eclairs.Ground.Security;
using Eclairs.Ground.Storage;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Eclairs.Ground.Web;

/// <summary>The JSON API under /api (docs/ground.md; the OpenAPI document at /openapi/v1.json describes it).</summary>
internal static class ApiEndpoints
{
    private static readonly JsonSerializerOptions VerdictJson = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static void Map(WebApplication app)
    {
        RouteGroupBuilder api = app.MapGroup("/api").WithTags("api");

        api.MapPost("/vhf", PostVhf).RequireAuthorization(Roles.CanIngest)
            .Accepts<byte[]>("application/octet-stream").Produces<VhfAnswer>(201).Produces<VhfAnswer>(200).Produces<VhfAnswer>(202)
            .Produces(400).Produces(401).Produces(403).Produces(413).Produces(415)
            .WithSummary("VHF alert sequence: CCSDS space packets, concatenated (docs/file-formats.md)");
        api.MapPost("/alerts", PostAlert).RequireAuthorization(Roles.CanIngest)
            .Accepts<JsonAlertSchema>("application/json", "application/fits").Produces<IngestAnswer>(201).Produces<IngestAnswer>(200)
            .Produces(400).Produces(401).Produces(403).Produces(413).Produces(415)
            .WithSummary("One alert: JSON (snr, mask, trigger facts) or a FITS file (SNR image + MASK extension)");
        api.MapPost("/notices", PostNotice).RequireAuthorization(Roles.CanIngest)
            .Accepts<string>("application/xml").Produces<NoticeAnswer>(201).Produces<NoticeAnswer>(200)
            .Produces(400).Produces(401).Produces(403).Produces(413).Produces(415)
            .WithSummary("A GCN notice (SVOM VOEvent 2.0 XML), attached by burst id or trigger time");
        api.MapGet("/alerts", ListAlerts).RequireAuthorization(Roles.CanRead)
            .Produces<List<AlertSummaryDto>>(200).Produces(400).Produces(401).Produces(403)
            .WithSummary("Alerts newest first; since= an alert id (those after it) or an ISO-8601 time (those received since)");
        api.MapGet("/alerts/{id:long}", GetAlert).RequireAuthorization(Roles.CanRead)
            .Produces<AlertDto>(200).Produces(404).Produces(401).Produces(403).WithSummary("One alert: facts, pixels, classifications, notices, verdicts");
        api.MapPost("/alerts/{id:long}/verdict", PostVerdict).RequireAuthorization(Roles.CanJudge)
            .Accepts<VerdictRequest>("application/json").Produces<VerdictDto>(201).Produces(400).Produces(404).Produces(401).Produces(403)
            .WithSummary("A Burst Advocate's verdict: {\"verdict\": \"true\"|\"false\"|\"unclear\", \"comment\": ...}");
        api.MapGet("/verdicts.npz", GetVerdicts).RequireAuthorization(Roles.CanRead)
            .Produces(200, contentType: "application/octet-stream").Produces(401).Produces(403)
            .WithSummary("The judged alerts in the project's npz layout (label from the latest verdict, unclear as 2)");
        api.MapGet("/status", Status).RequireAuthorization(Roles.CanRead)
            .Produces<StatusDto>(200).Produces(401).Produces(403).WithSummary("Models, counts and the VHF link's sequence-count checks");
        api.MapGet("/events", Events).RequireAuthorization(Roles.CanRead)
            .Produces(200, contentType: "text/event-stream").Produces(401).Produces(403)
            .WithSummary("Server-sent events: the id of each alert stored or changed");
        app.MapGet("/healthz", () => Results.Text("ok")).AllowAnonymous().ExcludeFromDescription();
    }

    private static async Task<IResult> PostVhf(HttpContext ctx, GroundOptions options, IngestService ingest)
    {
        long start = Stopwatch.GetTimestamp();
        RequireMediaType(ctx.Request, "application/octet-stream");
        byte[] body = await RequestBody.ReadAsync(ctx.Request, options.MaxVhfBytes).ConfigureAwait(false);
        IngestService.VhfOutcome o = ingest.IngestPackets(body, start);
        var answer = new VhfAnswer(o.Packets, o.New, o.Duplicates, [.. o.Alerts.Select(IngestAnswer.Of)], o.Pending);
        // 201: an alert was stored; 202: packets kept, their sequence still open; 200: nothing new (duplicates, or late parts of a stored alert).
        int status = o.Alerts.Any(a => a.Created) ? 201 : o.Pending.Count > 0 ? 202 : 200;
        return Results.Json(answer, statusCode: status);
    }

    private static async Task<IResult> PostAlert(HttpContext ctx, GroundOptions options, IngestService ingest)
    {
        long start = Stopwatch.GetTimestamp();
        string type = RequestBody.MediaType(ctx.Request);
        if (type is not ("application/json" or "application/fits" or "image/fits"))
        {
            throw new IngestRefusedException($"Content-Type '{type}' is neither application/json nor application/fits", 415);
        }

        byte[] body = await RequestBody.ReadAsync(ctx.Request, options.MaxAlertBytes).ConfigureAwait(false);
        AlertInput alert = type == "application/json" ? JsonAlertReader.Read(body) : FitsAlertReader.Read(body);
        IngestOutcome o = ingest.Ingest(alert, start);
        return Results.Json(IngestAnswer.Of(o), statusCode: o.Created ? 201 : 200);
    }

    private static async Task<IResult> PostNotice(HttpContext ctx, GroundOptions options, IngestService ingest)
    {
        string type = RequestBody.MediaType(ctx.Request);
        if (type is not ("application/xml" or "text/xml"))
        {
            throw new IngestRefusedException($"Content-Type '{type}' is not application/xml", 415);
        }

        byte[] body = await RequestBody.ReadAsync(ctx.Request, options.MaxNoticeBytes).ConfigureAwait(false);
        (long id, bool created, long? alert) = ingest.IngestNotice(body);
        return Results.Json(new NoticeAnswer(id, created, alert), statusCode: created ? 201 : 200);
    }

    private static IResult ListAlerts(AlertStore alerts, string? since, int? limit)
    {
        (long? after, DateTimeOffset? time) = ParseSince(since);
        int n = Math.Clamp(limit ?? 200, 1, 1000);
        return Results.Json(alerts.List(after, time, n).Select(AlertSummaryDto.Of).ToList());
    }

    internal static (long? After, DateTimeOffset? Time) ParseSince(string? since)
    {
        if (string.IsNullOrEmpty(since))
        {
            return (null, null);
        }

        if (long.TryParse(since, NumberStyles.None, CultureInfo.InvariantCulture, out long id))
        {
            return (id, null);
        }

        if (DateTimeOffset.TryParse(since, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset t))
        {
            return (null, t);
        }

        throw new IngestRefusedException("since= must be an alert id or an ISO-8601 time");
    }

    private static IResult GetAlert(long id, AlertStore alerts, NoticeStore notices, VerdictStore verdicts)
    {
        StoredAlert? a = alerts.Get(id);
        if (a is null)
        {
            return Results.Json(new { error = $"no alert {id}" }, statusCode: 404);
        }

        var dto = new AlertDto(AlertSummaryDto.Of(a), [.. a.Snr.Select(v => float.IsFinite(v) ? v : (float?)null)], [.. a.Mask.Select(m => (int)m)],
            [.. notices.ForAlert(id).Select(n => new NoticeDto(n.Id, n.Ivorn, n.PacketType, n.BurstId, n.TriggerTime, n.ReceivedAt, NoticeStore.Facts(n)))],
            [.. verdicts.History(id).Select(VerdictDto.Of)], a.Details);
        return Results.Json(dto);
    }

    private static async Task<IResult> PostVerdict(long id, HttpContext ctx, VerdictStore verdicts, AlertEvents events, IAntiforgery antiforgery)
    {
        // A browser session (cookie) must prove the request came from our page; a Bearer token cannot be forged cross-site.
        if (ctx.User.Identity?.AuthenticationType == CookieAuthenticationDefaults.AuthenticationScheme)
        {
            try
            {
                await antiforgery.ValidateRequestAsync(ctx).ConfigureAwait(false);
            }
            catch (AntiforgeryValidationException)
            {
                throw new IngestRefusedException("missing or invalid anti-forgery token (X-CSRF-TOKEN header)");
            }
        }

        if (RequestBody.MediaType(ctx.Request) != "application/json")
        {
            throw new IngestRefusedException("a verdict is JSON: {\"verdict\": \"true\"|\"false\"|\"unclear\", \"comment\": \"...\"}", 415);
        }

        byte[] body = await RequestBody.ReadAsync(ctx.Request, 64 << 10).ConfigureAwait(false);
        VerdictRequest? request;
        try
        {
            request = JsonSerializer.Deserialize<VerdictRequest>(body, VerdictJson);
        }
        catch (JsonException e)
        {
            throw new IngestRefusedException($"the body is not a verdict: {e.Message}");
        }

        StoredVerdict v = Record(id, request?.Verdict, request?.Comment, ctx, verdicts, events) ?? throw new IngestRefusedException($"no alert {id}", 404);
        return Results.Json(VerdictDto.Of(v), statusCode: 201);
    }

    /// <summary>Checks and records one verdict (the API and the page's form both come here).</summary>
    internal static StoredVerdict? Record(long id, string? verdict, string? comment, HttpContext ctx, VerdictStore verdicts, AlertEvents events)
    {
        int code = StoredVerdict.Parse(verdict) ?? throw new IngestRefusedException("verdict must be \"true\", \"false\" or \"unclear\"");
        comment ??= "";
        if (comment.Length > 2000)
        {
            throw new IngestRefusedException("a comment has at most 2000 characters");
        }

        StoredVerdict? v = verdicts.Add(id, GroundServer.NameOf(ctx.User), code, comment);
        if (v is not null)
        {
            events.Publish(id);
        }

        return v;
    }

    private static IResult GetVerdicts(AlertStore alerts, VerdictStore verdicts)
    {
        using var buffer = new MemoryStream();
        VerdictExport.Write(alerts, verdicts, buffer);
        return Results.File(buffer.ToArray(), "application/octet-stream", "verdicts.npz");
    }

    private static IResult Status(ClassifierBank bank, AlertStore alerts, PacketStore packets, LinkMonitor link, Database db) => Results.Json(new StatusDto(
        db.Kind.ToString(), [.. bank.Models.Select(m => new ModelDto(m.Name, m.Format, "0x" + m.Checksum.ToString("X8", CultureInfo.InvariantCulture), m.Threshold))],
        alerts.Count(), packets.Count(), link.Accepted, link.Duplicates, link.Lost, link.OutOfOrder));

    private static async Task Events(HttpContext ctx, AlertEvents events)
    {
        ctx.Response.Headers.ContentType = "text/event-stream";
        ctx.Response.Headers.CacheControl = "no-cache";
        (Guid id, System.Threading.Channels.ChannelReader<long> reader) = events.Subscribe();
        try
        {
            await ctx.Response.WriteAsync(": connected\n\n", ctx.RequestAborted).ConfigureAwait(false);
            await ctx.Response.Body.FlushAsync(ctx.RequestAborted).ConfigureAwait(false);
            await foreach (long alert in reader.ReadAllAsync(ctx.RequestAborted).ConfigureAwait(false))
            {
                await ctx.Response.WriteAsync(string.Create(CultureInfo.InvariantCulture, $"data: {alert}\n\n"), ctx.RequestAborted).ConfigureAwait(false);
                await ctx.Response.Body.FlushAsync(ctx.RequestAborted).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // The page was closed.
        }
        finally
        {
            events.Unsubscribe(id);
        }
    }

    private static void RequireMediaType(HttpRequest request, string type)
    {
        if (RequestBody.MediaType(request) != type)
        {
            throw new IngestRefusedException($"Content-Type '{RequestBody.MediaType(request)}' is not {type}", 415);
        }
    }
}

public sealed record ModelDto(string Name, string NumberFormat, string Checksum, double Threshold);

public sealed record StatusDto(string Database, List<ModelDto> Models, long Alerts, long VhfPackets, long PacketsAccepted, long PacketsDuplicated,
    long PacketsLostInLink, long PacketsOutOfOrder);

/// <summary>The JSON alert of POST /api/alerts, for the OpenAPI document (the reader is <see cref="JsonAlertReader"/>).</summary>
public sealed record JsonAlertSchema(float?[] Snr, int[] Mask, DateTimeOffset? TriggerTime, string? BurstId, string? TriggerType, long? ObservationId,
    double? PeakSnr, double? SkyY, double? SkyZ, double? Offaxis, double? Azimuth, double? Timescale, bool? SlewRequested);
