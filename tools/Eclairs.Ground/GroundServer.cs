using System;
using System.Linq;
using System.Security.Claims;
using System.Text.Json;
using System.Threading.RateLimiting;
using System.Threading.Tasks;
using Eclairs.Ground.Classifiers;
using Eclairs.Ground.Ingest;
using Eclairs.Ground.Security;
using Eclairs.Ground.Storage;
using Eclairs.Ground.Web;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Eclairs.Ground;

/// <summary>
/// The one process of <c>eclairs serve</c>: Kestrel, the database, the models, the ingest paths (HTTP, the VHF TCP
/// listener, the notices folder), the pages and the API.
/// </summary>
public static class GroundServer
{
    public const string LoginLimiter = "login";

    /// <summary>Builds the application (not started). <paramref name="database"/> is owned by the caller.</summary>
    public static WebApplication Build(GroundOptions options, Database database, ClassifierBank bank, LogLevel logLevel = LogLevel.Information)
    {
        ArgumentNullException.ThrowIfNull(options);
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = typeof(GroundServer).Assembly.GetName().Name, Args = [] });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(logLevel);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning).AddFilter("Microsoft.Hosting.Lifetime", logLevel);
        builder.WebHost.UseUrls(options.Urls);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = Math.Max(options.MaxVhfBytes, Math.Max(options.MaxAlertBytes, options.MaxNoticeBytes));
            k.Limits.MaxRequestHeadersTotalSize = 32 << 10;
        });

        IServiceCollection s = builder.Services;
        var alerts = new AlertStore(database);
        s.AddSingleton(options);
        s.AddSingleton(database);
        s.AddSingleton(bank);
        s.AddSingleton(alerts);
        s.AddSingleton(new NoticeStore(database));
        s.AddSingleton(new VerdictStore(database));
        s.AddSingleton(new AccountStore(database));
        s.AddSingleton(new PacketStore(database));
        s.AddSingleton<AlertEvents>();
        s.AddSingleton<LinkMonitor>();
        s.AddSingleton<IngestService>();
        s.AddSingleton<AlertPictures>();
        s.AddHostedService<VhfSweeper>();
        s.AddHostedService<VhfTcpListener>();
        s.AddHostedService<NoticesWatcher>();
        s.ConfigureHttpJsonOptions(j =>
        {
            j.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            j.SerializerOptions.DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.Never;
        });
        // Session cookies and anti-forgery tokens stay valid across restarts: their keys live beside the data.
        s.AddDataProtection().PersistKeysToFileSystem(new System.IO.DirectoryInfo(System.IO.Path.Combine(options.DataDir, "keys"))).SetApplicationName("eclairs-ground");
        s.AddAntiforgery(a =>
        {
            a.HeaderName = "X-CSRF-TOKEN";
            a.Cookie.Name = "eclairs.antiforgery";
            a.Cookie.SameSite = SameSiteMode.Strict;
        });
        s.AddAuthentication(a =>
            {
                a.DefaultScheme = "cookie-or-bearer";
                a.DefaultChallengeScheme = "cookie-or-bearer";
            })
            .AddPolicyScheme("cookie-or-bearer", null, p => p.ForwardDefaultSelector = ctx =>
                ctx.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.Ordinal) ? BearerTokenHandler.SchemeName : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(c =>
            {
                c.Cookie.Name = "eclairs.session";
                c.Cookie.HttpOnly = true;
                c.Cookie.SameSite = SameSiteMode.Strict;
                c.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                c.ExpireTimeSpan = TimeSpan.FromHours(12);
                c.SlidingExpiration = true;
                c.LoginPath = "/login";
                c.AccessDeniedPath = "/denied";
                c.Events.OnRedirectToLogin = ctx => ApiOr(ctx, 401);
                c.Events.OnRedirectToAccessDenied = ctx => ApiOr(ctx, 403);
            })
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, BearerTokenHandler>(BearerTokenHandler.SchemeName, null);
        s.AddAuthorizationBuilder()
            .AddPolicy(Roles.CanRead, p => p.RequireRole(Roles.Advocate, Roles.Reader))
            .AddPolicy(Roles.CanJudge, p => p.RequireRole(Roles.Advocate))
            .AddPolicy(Roles.CanIngest, p => p.RequireRole(Roles.Ingest));
        s.AddRateLimiter(r =>
        {
            r.RejectionStatusCode = 429;
            r.AddPolicy(LoginLimiter, ctx => RateLimitPartition.GetFixedWindowLimiter(ctx.Connection.RemoteIpAddress?.ToString() ?? "-",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = 20, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
        });
        s.AddOpenApi(o => o.AddDocumentTransformer<OpenApiSecurity>());

        WebApplication app = builder.Build();
        app.UseMiddleware<RefusalMiddleware>();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        ApiEndpoints.Map(app);
        PageEndpoints.Map(app);
        return app;
    }

    /// <summary>The address Kestrel listens on once started (the real port when 0 was asked for).</summary>
    public static Uri Address(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
    }

    private static Task ApiOr(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> ctx, int status)
    {
        if (ctx.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal))
        {
            ctx.Response.StatusCode = status;
            return Task.CompletedTask;
        }

        ctx.Response.Redirect(ctx.RedirectUri);
        return Task.CompletedTask;
    }

    /// <summary>The signed-in name of a person or token ("token:NAME").</summary>
    public static string NameOf(ClaimsPrincipal user) => user?.Identity?.Name ?? "?";
}
