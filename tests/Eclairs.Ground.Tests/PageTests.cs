using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using Eclairs.Ground.Storage;
using Xunit;

namespace Eclairs.Ground.Tests;

/// <summary>The pages over HTTP: login, anti-forgery on every form, roles, pictures, the verdict form.</summary>
public sealed class PageTests
{
    [Fact]
    public async Task Pages_need_a_login_and_forms_need_their_anti_forgery_token()
    {
        await using GroundTestServer server = await Shared.Sqlite();
        using var ingest = server.Client(server.IngestToken);
        (float[] snr, byte[] mask) = TestAlerts.Make(41, knownSource: true);
        var (_, answer) = await GroundTestServer.PostJsonAsync(ingest, "/api/alerts", TestAlerts.Json(snr, mask));
        long id = answer.GetProperty("id").GetInt64();

        using var anonymous = server.Client(null);
        using (HttpResponseMessage page = await anonymous.GetAsync($"/alerts/{id}"))
        {
            Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
            Assert.StartsWith("/login", page.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        }

        using (HttpResponseMessage png = await anonymous.GetAsync($"/alerts/{id}/panel.png"))
        {
            Assert.Equal(HttpStatusCode.Redirect, png.StatusCode);
        }

        // Wrong password, and a login without its anti-forgery token: no session.
        using (var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["name"] = "alice", ["password"] = GroundTestServer.AdvocatePassword }))
        using (HttpResponseMessage forged = await anonymous.PostAsync("/login", form))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        }

        string login = await anonymous.GetStringAsync("/login");
        using (var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = Browserless.FormToken(login), ["name"] = "alice", ["password"] = "wrong-password-123" }))
        using (HttpResponseMessage wrong = await anonymous.PostAsync("/login", form))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
            Assert.Contains("wrong password", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using HttpClient alice = await Browserless.LoginAsync(server, "alice", GroundTestServer.AdvocatePassword);
        using (HttpResponseMessage listAddress = await alice.GetAsync("/alerts"))
        {
            Assert.Equal(HttpStatusCode.Redirect, listAddress.StatusCode);
            Assert.Equal("/", listAddress.Headers.Location!.OriginalString);
        }

        string alertPage = await alice.GetStringAsync($"/alerts/{id}");
        Assert.Contains($"src=\"/alerts/{id}/panel.png\"", alertPage, StringComparison.Ordinal);
        Assert.Contains("Known sources: 9 pixels", alertPage, StringComparison.Ordinal);
        byte[] panel = await alice.GetByteArrayAsync($"/alerts/{id}/panel.png");
        byte[] occlusion = await alice.GetByteArrayAsync($"/alerts/{id}/occlusion.png");
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, panel[..4]);
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, occlusion[..4]);

        // The verdict form without its token is refused; with it, recorded.
        using (var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["verdict"] = "true", ["comment"] = "forged" }))
        using (HttpResponseMessage forged = await alice.PostAsync($"/alerts/{id}/verdict", form))
        {
            Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        }

        // The JSON API with the session cookie also wants the token (header), unlike a Bearer token.
        var (noHeader, _) = await GroundTestServer.PostJsonAsync(alice, $"/api/alerts/{id}/verdict", new { verdict = "true", comment = "cookie" });
        Assert.Equal(HttpStatusCode.BadRequest, noHeader);
        Assert.Empty(server.Verdicts.History(id));

        using (var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = Browserless.FormToken(alertPage), ["verdict"] = "true", ["comment"] = "clean point source <b>" }))
        using (HttpResponseMessage ok = await alice.PostAsync($"/alerts/{id}/verdict", form))
        {
            Assert.Equal(HttpStatusCode.Redirect, ok.StatusCode);
        }

        StoredVerdict v = Assert.Single(server.Verdicts.History(id));
        Assert.Equal(("alice", 1, "clean point source <b>"), (v.User, v.Verdict, v.Comment));
        string after = await alice.GetStringAsync($"/alerts/{id}");
        Assert.Contains("clean point source &lt;b&gt;", after, StringComparison.Ordinal);
        string list = await alice.GetStringAsync("/");
        Assert.Contains($"<a href=\"/alerts/{id}\">{id}</a>", list, StringComparison.Ordinal);
        Assert.Contains("<span class=\"true\">true</span> (alice)", list, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reader_sees_alerts_but_gets_no_verdict_form_and_cannot_post_one()
    {
        await using GroundTestServer server = await Shared.Sqlite();
        using var ingest = server.Client(server.IngestToken);
        (float[] snr, byte[] mask) = TestAlerts.Make(42);
        var (_, answer) = await GroundTestServer.PostJsonAsync(ingest, "/api/alerts", TestAlerts.Json(snr, mask));
        long id = answer.GetProperty("id").GetInt64();
        using HttpClient rita = await Browserless.LoginAsync(server, "rita", GroundTestServer.ReaderPassword);
        string page = await rita.GetStringAsync($"/alerts/{id}");
        Assert.DoesNotContain("id=\"verdict\"", page, StringComparison.Ordinal);
        Assert.Contains("Only Burst Advocates record verdicts", page, StringComparison.Ordinal);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = Browserless.FormToken(page), ["verdict"] = "false" });
        using HttpResponseMessage refused = await rita.PostAsync($"/alerts/{id}/verdict", form);
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.StartsWith("/denied", refused.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        Assert.Empty(server.Verdicts.History(id));
    }

    [Fact]
    public async Task With_no_account_nobody_logs_in_there_is_no_default_password()
    {
        string dir = TestPaths.NewTempDir("ground-empty");
        using Database db = Database.OpenSqlite(dir);
        var options = new GroundOptions { DataDir = dir, ModelsDir = TestPaths.Weights, Urls = "http://127.0.0.1:0" };
        await using Microsoft.AspNetCore.Builder.WebApplication app = GroundServer.Build(options, db, GroundTestServer.Bank, Microsoft.Extensions.Logging.LogLevel.Warning);
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = GroundServer.Address(app) };
        string login = await client.GetStringAsync("/login");
        Assert.Contains("No account exists yet", login, StringComparison.Ordinal);
        foreach ((string name, string password) in new[] { ("admin", "admin"), ("admin", ""), ("advocate", "advocate"), ("", "") })
        {
            using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = Browserless.FormToken(login), ["name"] = name, ["password"] = password });
            using HttpResponseMessage r = await client.PostAsync("/login", form);
            Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
        }

        Assert.Throws<ArgumentException>(() => new AccountStore(db).AddUser("bob", "advocate", "short"));
        Assert.Throws<ArgumentException>(() => new AccountStore(db).AddUser("bob", "admin", "long-enough-password"));
        await app.StopAsync();
    }
}
