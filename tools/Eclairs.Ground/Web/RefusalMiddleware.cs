using System;
using System.Threading.Tasks;
using Eclairs.Ground.Ingest;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Eclairs.Ground.Web;

/// <summary>
/// Turns refused input into its 4xx answer with the reason as JSON (<c>{"error": "..."}</c>); a body over its limit is
/// 413. Anything else is a bug: logged, and answered 500 without details.
/// </summary>
internal sealed class RefusalMiddleware
{
    private readonly RequestDelegate _next;
    private readonly ILogger<RefusalMiddleware> _log;

    public RefusalMiddleware(RequestDelegate next, ILogger<RefusalMiddleware> log)
    {
        _next = next;
        _log = log;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            await _next(context).ConfigureAwait(false);
        }
        catch (IngestRefusedException e) when (!context.Response.HasStarted)
        {
            _log.LogInformation("refused {Method} {Path}: {Reason}", context.Request.Method, context.Request.Path, e.Message);
            await Refuse(context, e.Status, e.Message).ConfigureAwait(false);
        }
        catch (BadHttpRequestException e) when (!context.Response.HasStarted)
        {
            await Refuse(context, e.StatusCode, e.StatusCode == 413 ? "the request body is larger than this endpoint accepts" : e.Message).ConfigureAwait(false);
        }
        catch (Exception e) when (!context.Response.HasStarted && e is not OperationCanceledException)
        {
            _log.LogError(e, "unhandled error on {Method} {Path}", context.Request.Method, context.Request.Path);
            await Refuse(context, 500, "internal error (logged)").ConfigureAwait(false);
        }
    }

    private static Task Refuse(HttpContext context, int status, string reason)
    {
        context.Response.Clear();
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new { error = reason });
    }
}
