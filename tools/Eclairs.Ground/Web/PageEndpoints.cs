using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Eclairs.Ground.Classifiers;
using Eclairs.Ground.Ingest;
using Eclairs.Ground.Security;
using Eclairs.Ground.Storage;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Eclairs.Ground.Web;

/// <summary>
/// The pages of the Burst Advocates (server-rendered, a little JavaScript for the live list): login, the alert list
/// and the alert page with its pictures, facts, notices, classifications and the verdict form.
/// </summary>
internal static class PageEndpoints
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/login", (HttpContext ctx, IAntiforgery af, AccountStore accounts, string? returnUrl) => LoginPage(ctx, af, accounts, returnUrl, null))
            .AllowAnonymous().ExcludeFromDescription();
        app.MapPost("/login", Login).AllowAnonymous().RequireRateLimiting(GroundServer.LoginLimiter).ExcludeFromDescription();
        app.MapPost("/logout", Logout).RequireAuthorization().ExcludeFromDescription();
        app.MapGet("/denied", (HttpContext ctx) => Results.Content(Html.Page("Not allowed",
            "<p class=\"error\">Your role does not allow this page.</p><p><a href=\"/\">Alerts</a></p>", ctx.User.Identity?.Name), "text/html", statusCode: 403))
            .AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/", ListPage).RequireAuthorization(Roles.CanRead).ExcludeFromDescription();
        // People type the list's address as /alerts, by analogy with /alerts/{id}.
        app.MapGet("/alerts", () => Results.Redirect("/")).RequireAuthorization(Roles.CanRead).ExcludeFromDescription();
        app.MapGet("/alerts/rows", (AlertStore alerts, ClassifierBank bank, long? after) =>
            Results.Content(Rows(alerts.List(after, null, 200), ModelColumns(bank), highlight: true), "text/html"))
            .RequireAuthorization(Roles.CanRead).ExcludeFromDescription();
        app.MapGet("/alerts/{id:long}", AlertPage).RequireAuthorization(Roles.CanRead).ExcludeFromDescription();
        app.MapGet("/alerts/{id:long}/panel.png", (long id, AlertStore alerts, AlertPictures pictures) =>
            alerts.Get(id) is { } a ? Results.Bytes(pictures.Panel(a), "image/png") : Results.NotFound())
            .RequireAuthorization(Roles.CanRead).ExcludeFromDescription();
        app.MapGet("/alerts/{id:long}/occlusion.png", (long id, AlertStore alerts, AlertPictures pictures) =>
            alerts.Get(id) is { } a ? Results.Bytes(pictures.Occlusion(a), "image/png") : Results.NotFound())
            .RequireAuthorization(Roles.CanRead).ExcludeFromDescription();
        app.MapPost("/alerts/{id:long}/verdict", VerdictForm).RequireAuthorization(Roles.CanJudge).ExcludeFromDescription();
    }

    private static IResult LoginPage(HttpContext ctx, IAntiforgery af, AccountStore accounts, string? returnUrl, string? error)
    {
        AntiforgeryTokenSet tokens = af.GetAndStoreTokens(ctx);
        var body = new StringBuilder("<h1>Log in</h1>");
        if (error is not null)
        {
            body.Append("<p class=\"error\">").Append(Html.E(error)).Append("</p>");
        }

        if (accounts.UserCount() == 0)
        {
            body.Append("<p class=\"error\">No account exists yet: create one with <code>eclairs users add --data-dir D --name NAME --role advocate</code> (there is no default password).</p>");
        }

        body.Append("<form method=\"post\" action=\"/login\" id=\"login\">")
            .Append("<input type=\"hidden\" name=\"").Append(Html.E(tokens.FormFieldName)).Append("\" value=\"").Append(Html.E(tokens.RequestToken)).Append("\">")
            .Append("<input type=\"hidden\" name=\"returnUrl\" value=\"").Append(Html.E(returnUrl)).Append("\">")
            .Append("<p><label>Name <input name=\"name\" id=\"name\" autocomplete=\"username\" required></label></p>")
            .Append("<p><label>Password <input name=\"password\" id=\"password\" type=\"password\" autocomplete=\"current-password\" required></label></p>")
            .Append("<p><button type=\"submit\" id=\"submit\">Log in</button></p></form>");
        return Results.Content(Html.Page("Log in", body.ToString(), null), "text/html", statusCode: error is null ? 200 : 401);
    }

    private static async Task<IResult> Login(HttpContext ctx, IAntiforgery af, AccountStore accounts)
    {
        if (!await ValidForm(ctx, af).ConfigureAwait(false))
        {
            return LoginPage(ctx, af, accounts, null, "The form expired; please log in again.");
        }

        IFormCollection form = await ctx.Request.ReadFormAsync().ConfigureAwait(false);
        string name = form["name"].ToString(), password = form["password"].ToString();
        string? returnUrl = form["returnUrl"].ToString();
        string? role = name.Length is > 0 and <= 64 && password.Length <= 1024 ? accounts.CheckPassword(name, password) : null;
        if (role is null)
        {
            return LoginPage(ctx, af, accounts, returnUrl, "Unknown name or wrong password.");
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.Role, role)], CookieAuthenticationDefaults.AuthenticationScheme);
        await ctx.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity)).ConfigureAwait(false);
        // Only a local path is followed, never another site.
        bool local = !string.IsNullOrEmpty(returnUrl) && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//", StringComparison.Ordinal) && !returnUrl.StartsWith("/\\", StringComparison.Ordinal);
        return Results.Redirect(local ? returnUrl! : "/");
    }

    private static async Task<IResult> Logout(HttpContext ctx, IAntiforgery af)
    {
        if (!await ValidForm(ctx, af).ConfigureAwait(false))
        {
            return Results.BadRequest();
        }

        await ctx.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme).ConfigureAwait(false);
        return Results.Redirect("/login");
    }

    private static IResult ListPage(HttpContext ctx, AlertStore alerts, ClassifierBank bank, IAntiforgery af, LinkMonitor link)
    {
        List<string> models = ModelColumns(bank);
        IReadOnlyList<StoredAlert> list = alerts.List(null, null, 200);
        var body = new StringBuilder("<h1>Alerts</h1>");
        body.Append(CultureInfo.InvariantCulture, $"<p id=\"link\">VHF link: {link.Accepted} packets taken, {link.Duplicates} duplicates, {link.Lost} lost (sequence-count gaps), {link.OutOfOrder} out of order. The list updates itself.</p>");
        body.Append("<table id=\"alerts\"><thead><tr><th>id</th><th>trigger time (UTC)</th><th>burst id</th><th>peak SNR</th><th>trigger</th>");
        foreach (string m in models)
        {
            body.Append("<th>").Append(Html.E(m)).Append(" P(true)</th>");
        }

        body.Append("<th>slew</th><th>flags</th><th>verdict</th></tr></thead><tbody id=\"rows\">").Append(Rows(list, models, highlight: false)).Append("</tbody></table>");
        body.Append(LogoutForm(ctx, af));
        body.Append("""
            <script>
            (function () {
              const rows = document.getElementById('rows');
              function newest() { const r = rows.querySelector('tr[data-id]'); return r ? r.dataset.id : 0; }
              async function load(changed) {
                const res = await fetch('/alerts/rows?after=' + (changed ? 0 : newest()), { credentials: 'same-origin' });
                if (!res.ok) return;
                const html = await res.text();
                if (changed) { rows.innerHTML = html; return; }
                if (html.trim().length > 0) rows.insertAdjacentHTML('afterbegin', html);
              }
              // One refresh at a time: two at once would read the same newest id and insert the same rows twice.
              let queue = Promise.resolve();
              function refresh(changed) { queue = queue.then(() => load(changed)).catch(() => {}); }
              if (window.EventSource) {
                const events = new EventSource('/api/events');
                // Alerts stored between this page's rendering and the subscription (or while the stream was down,
                // before the browser reconnected) sent no event this page heard.
                events.onopen = () => refresh(false);
                events.onmessage = (e) => { const id = Number(e.data); refresh(id <= Number(newest())); };
              }
              setInterval(() => refresh(false), 10000);
            })();
            </script>
            """);
        return Results.Content(Html.Page("Alerts", body.ToString(), ctx.User.Identity?.Name), "text/html");
    }

    private static List<string> ModelColumns(ClassifierBank bank) => [.. bank.Models.Select(m => $"{m.Name} {m.Format}")];

    private static string Rows(IReadOnlyList<StoredAlert> alerts, List<string> models, bool highlight)
    {
        var sb = new StringBuilder();
        foreach (StoredAlert a in alerts)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<tr data-id=\"{a.Id}\"").Append(highlight ? " class=\"new\"" : "").Append('>');
            sb.Append(CultureInfo.InvariantCulture, $"<td><a href=\"/alerts/{a.Id}\">{a.Id}</a></td>");
            sb.Append("<td>").Append(Html.E((a.TriggerTime ?? a.ReceivedAt).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture))).Append(a.TriggerTime is null ? " (received)" : "").Append("</td>");
            sb.Append("<td>").Append(Html.E(a.BurstId ?? "–")).Append("</td><td>").Append(Html.Num(a.PeakSnr, "F1")).Append("</td><td>").Append(Html.E(a.TriggerType ?? "–")).Append("</td>");
            foreach (string m in models)
            {
                Classification? c = a.Classifications.FirstOrDefault(k => $"{k.Model} {k.NumberFormat}" == m);
                sb.Append(c is null ? "<td>–</td>" : $"<td class=\"{(c.Decision ? "true" : "false")}\">{Html.Num(c.Probability, "F3")}</td>");
            }

            string slew = a.SlewStatus ?? (a.SlewRequested is bool s ? (s ? "requested" : "not requested") : "–");
            sb.Append("<td>").Append(Html.E(slew)).Append("</td><td class=\"flag\">").Append(Flags(a)).Append("</td>");
            sb.Append("<td>").Append(a.LatestVerdict is { } v ? $"<span class=\"{v.VerdictName}\">{Html.E(v.VerdictName)}</span> ({Html.E(v.User)})" : "–").Append("</td></tr>");
        }

        return sb.ToString();
    }

    private static string Flags(StoredAlert a)
    {
        var flags = new List<string>();
        if (a.Retracted)
        {
            flags.Add("retracted");
        }

        if (a.Incomplete)
        {
            flags.Add("incomplete");
        }

        if (ClassificationDto.Disagreements(a.Classifications).Count > 0)
        {
            flags.Add("int8≠float");
        }

        return string.Join(" ", flags);
    }

    private static IResult AlertPage(long id, HttpContext ctx, AlertStore alerts, NoticeStore notices, VerdictStore verdicts, IAntiforgery af)
    {
        StoredAlert? a = alerts.Get(id);
        if (a is null)
        {
            return Results.Content(Html.Page("No such alert", $"<p class=\"error\">No alert {id}.</p>", ctx.User.Identity?.Name), "text/html", statusCode: 404);
        }

        var b = new StringBuilder();
        b.Append(CultureInfo.InvariantCulture, $"<h1 id=\"title\" class=\"{(a.Retracted ? "retracted" : "")}\">Alert {a.Id}{(a.BurstId is null ? "" : " · " + Html.E(a.BurstId))}</h1>");
        if (a.Retracted)
        {
            b.Append("<p class=\"flag\" id=\"retracted\">Retracted by a GCN notice.</p>");
        }

        if (a.Incomplete)
        {
            b.Append("<p class=\"flag\" id=\"incomplete\">Incomplete: ").Append(Html.E(a.Missing)).Append(". Missing pixels have mask 0.</p>");
        }

        b.Append("<section><h2>Sub-image and mask</h2>");
        b.Append(CultureInfo.InvariantCulture, $"<img id=\"panel\" src=\"/alerts/{a.Id}/panel.png\" alt=\"SNR sub-image with colour bar, and mask; the trigger pixel boxed\">");
        b.Append("<p>Mask: red 0 ignore (missing or outside the field), green 1 background, orange 2 known source, blue 3 trigger pixel (boxed, row 28, column 28).</p>");
        b.Append(KnownSources(a)).Append("</section>");

        b.Append("<section><h2>Classifications</h2><table id=\"classifications\"><tr><th>model</th><th>format</th><th>checksum</th><th>P(true)</th><th>threshold</th><th>decision</th></tr>");
        foreach (Classification c in a.Classifications)
        {
            b.Append("<tr><td>").Append(Html.E(c.Model)).Append("</td><td>").Append(Html.E(c.NumberFormat)).Append("</td><td>0x")
                .Append(c.Checksum.ToString("X8", CultureInfo.InvariantCulture)).Append("</td><td class=\"probability\">").Append(Html.Num(c.Probability, "F4"))
                .Append("</td><td>").Append(Html.Num(c.Threshold, "F4")).Append("</td><td class=\"").Append(c.Decision ? "true\">true" : "false\">false").Append("</td></tr>");
        }

        b.Append("</table>");
        foreach (string m in ClassificationDto.Disagreements(a.Classifications))
        {
            b.Append("<p class=\"flag\">").Append(Html.E(m)).Append(": the int8 and float32 versions disagree on this alert.</p>");
        }

        if (a.Classifications.Count == 0)
        {
            b.Append("<p class=\"flag\">Not classified: no pixel of the sub-image arrived.</p>");
        }
        else
        {
            b.Append(CultureInfo.InvariantCulture, $"<h3>Which pixels drove the decision</h3><img id=\"occlusion\" src=\"/alerts/{a.Id}/occlusion.png\" alt=\"occlusion sensitivity map\">");
        }

        b.Append("</section><section><h2>Trigger facts</h2><table id=\"facts\">");
        Fact(b, "source", a.Source);
        Fact(b, "received (UTC)", a.ReceivedAt.ToString("O", CultureInfo.InvariantCulture));
        Fact(b, "ingest to classified", Html.Num(a.IngestLatencyMicroseconds / 1000.0, "F1") + " ms");
        Fact(b, "trigger time (UTC)", a.TriggerTime?.ToString("O", CultureInfo.InvariantCulture));
        Fact(b, "observation id", a.ObservationId?.ToString(CultureInfo.InvariantCulture));
        Fact(b, "trigger type", a.TriggerType);
        Fact(b, "peak SNR", Html.Num(a.PeakSnr));
        Fact(b, "timescale (s)", Html.Num(a.TimescaleSeconds));
        Fact(b, "sky position Y, Z (pixels)", $"{Html.Num(a.SkyY)}, {Html.Num(a.SkyZ)}");
        Fact(b, "off-axis, azimuth (deg)", $"{Html.Num(a.OffAxis)}, {Html.Num(a.Azimuth)}");
        Fact(b, "slew", a.SlewStatus ?? (a.SlewRequested is bool s ? (s ? "requested on board" : "not requested") : null));
        if (a.Details is not null)
        {
            using JsonDocument d = JsonDocument.Parse(a.Details);
            foreach (JsonProperty p in d.RootElement.EnumerateObject())
            {
                Fact(b, p.Name, p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.GetRawText());
            }
        }

        b.Append("</table></section><section><h2>GCN notices</h2>");
        IReadOnlyList<StoredNotice> ns = notices.ForAlert(a.Id);
        if (ns.Count == 0)
        {
            b.Append("<p>No notice attached yet.</p>");
        }

        foreach (StoredNotice n in ns)
        {
            b.Append(CultureInfo.InvariantCulture, $"<h3>{Html.E(n.Ivorn)} (type {n.PacketType})</h3><table class=\"notice\"><tr><th>group</th><th>field</th><th>value</th><th>unit</th></tr>");
            foreach (NoticeFact f in NoticeStore.Facts(n))
            {
                b.Append("<tr><td>").Append(Html.E(f.Group)).Append("</td><td>").Append(Html.E(f.Name)).Append("</td><td>").Append(Html.E(f.Value))
                    .Append("</td><td>").Append(Html.E(f.Unit)).Append("</td></tr>");
            }

            b.Append("</table>");
        }

        b.Append("</section><section><h2>Verdict</h2>");
        if (ctx.User.IsInRole(Roles.Advocate))
        {
            AntiforgeryTokenSet t = af.GetAndStoreTokens(ctx);
            b.Append(CultureInfo.InvariantCulture, $"<form method=\"post\" action=\"/alerts/{a.Id}/verdict\" class=\"verdict\" id=\"verdict\">")
                .Append("<input type=\"hidden\" name=\"").Append(Html.E(t.FormFieldName)).Append("\" value=\"").Append(Html.E(t.RequestToken)).Append("\">")
                .Append("<label><input type=\"radio\" name=\"verdict\" value=\"true\" id=\"verdict-true\" required> true burst</label>")
                .Append("<label><input type=\"radio\" name=\"verdict\" value=\"false\" id=\"verdict-false\"> false alert</label>")
                .Append("<label><input type=\"radio\" name=\"verdict\" value=\"unclear\" id=\"verdict-unclear\"> unclear</label>")
                .Append("<p><label>Comment <input name=\"comment\" id=\"comment\" size=\"60\" maxlength=\"2000\"></label></p>")
                .Append("<p><button type=\"submit\" id=\"record\">Record verdict</button></p></form>");
        }
        else
        {
            b.Append("<p>Only Burst Advocates record verdicts.</p>");
        }

        b.Append("<table id=\"history\"><tr><th>when (UTC)</th><th>who</th><th>verdict</th><th>comment</th></tr>");
        foreach (StoredVerdict v in verdicts.History(a.Id))
        {
            b.Append("<tr><td>").Append(Html.E(v.At.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture))).Append("</td><td>").Append(Html.E(v.User))
                .Append("</td><td class=\"").Append(v.VerdictName).Append("\">").Append(v.VerdictName).Append("</td><td>").Append(Html.E(v.Comment)).Append("</td></tr>");
        }

        b.Append("</table></section>").Append(LogoutForm(ctx, af));
        return Results.Content(Html.Page($"Alert {a.Id}", b.ToString(), ctx.User.Identity?.Name), "text/html");
    }

    private static string KnownSources(StoredAlert a)
    {
        int pixels = a.Mask.Count(m => m == 2);
        if (pixels == 0)
        {
            return "<p id=\"known\">No known source in the sub-image.</p>";
        }

        var cells = new List<string>();
        for (int i = 0; i < a.Mask.Length; i++)
        {
            if (a.Mask[i] == 2 && (i % 56 == 0 || a.Mask[i - 1] != 2) && (i < 56 || a.Mask[i - 56] != 2))
            {
                cells.Add(string.Create(CultureInfo.InvariantCulture, $"row {i / 56}, column {i % 56}"));
            }
        }

        return string.Create(CultureInfo.InvariantCulture, $"<p id=\"known\">Known sources: {pixels} pixels of mask 2 (catalogue sources), starting at {Html.E(string.Join("; ", cells.Take(8)))}.</p>");
    }

    private static void Fact(StringBuilder b, string name, string? value) =>
        b.Append("<tr><th>").Append(Html.E(name)).Append("</th><td>").Append(Html.E(value ?? "–")).Append("</td></tr>");

    private static async Task<IResult> VerdictForm(long id, HttpContext ctx, IAntiforgery af, VerdictStore verdicts, AlertEvents events)
    {
        if (!await ValidForm(ctx, af).ConfigureAwait(false))
        {
            return Results.Content(Html.Page("Refused", "<p class=\"error\">The form expired or did not come from this site; reload the alert page.</p>", ctx.User.Identity?.Name), "text/html", statusCode: 400);
        }

        IFormCollection form = await ctx.Request.ReadFormAsync().ConfigureAwait(false);
        try
        {
            return ApiEndpoints.Record(id, form["verdict"].ToString(), form["comment"].ToString(), ctx, verdicts, events) is null
                ? Results.NotFound()
                : Results.Redirect($"/alerts/{id}");
        }
        catch (IngestRefusedException e)
        {
            return Results.Content(Html.Page("Refused", $"<p class=\"error\">{Html.E(e.Message)}</p><p><a href=\"/alerts/{id}\">Back</a></p>", ctx.User.Identity?.Name), "text/html", statusCode: 400);
        }
    }

    private static async Task<bool> ValidForm(HttpContext ctx, IAntiforgery af)
    {
        if (!ctx.Request.HasFormContentType)
        {
            return false;
        }

        try
        {
            await af.ValidateRequestAsync(ctx).ConfigureAwait(false);
            return true;
        }
        catch (AntiforgeryValidationException)
        {
            return false;
        }
    }

    private static string LogoutForm(HttpContext ctx, IAntiforgery af)
    {
        AntiforgeryTokenSet t = af.GetAndStoreTokens(ctx);
        return $"<form method=\"post\" action=\"/logout\"><input type=\"hidden\" name=\"{Html.E(t.FormFieldName)}\" value=\"{Html.E(t.RequestToken)}\"><button type=\"submit\">Log out</button></form>";
    }
}
