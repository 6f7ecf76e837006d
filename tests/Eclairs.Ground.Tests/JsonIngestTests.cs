using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Xunit;

namespace Eclairs.Ground.Tests;

/// <summary>JSON alerts on POST /api/alerts, rights, and every refusal leaving nothing behind; on SQLite and on PostgreSQL.</summary>
public sealed class JsonIngestTests
{
    [Theory]
    [Backend(Backend.Sqlite)]
    [Backend(Backend.Postgres)]
    public async Task A_json_alert_is_stored_once_with_every_models_answer(Backend backend)
    {
        await using GroundTestServer server = await GroundTestServer.StartAsync(backend);
        using var ingest = server.Client(server.IngestToken);
        (float[] snr, byte[] mask) = TestAlerts.Make(11, edge: true);
        Dictionary<string, object?> body = TestAlerts.Json(snr, mask, new DateTimeOffset(2026, 2, 11, 19, 24, 23, TimeSpan.Zero));

        var (status, answer) = await GroundTestServer.PostJsonAsync(ingest, "/api/alerts", body);
        Assert.Equal(HttpStatusCode.Created, status);
        long id = answer.GetProperty("id").GetInt64();
        JsonElement[] classes = [.. answer.GetProperty("classifications").EnumerateArray()];
        Assert.Equal(4, classes.Length);
        Assert.Equal("float32 int8 float32 int8", string.Join(" ", classes.Select(c => c.GetProperty("number_format").GetString())));
        foreach (JsonElement c in classes)
        {
            double p = c.GetProperty("probability").GetDouble();
            Assert.InRange(p, 0, 1);
            Assert.Equal(p >= c.GetProperty("threshold").GetDouble(), c.GetProperty("decision").GetBoolean());
            Assert.StartsWith("0x", c.GetProperty("checksum").GetString(), StringComparison.Ordinal);
        }

        var (again, second) = await GroundTestServer.PostJsonAsync(ingest, "/api/alerts", body);
        Assert.Equal(HttpStatusCode.OK, again);
        Assert.Equal(id, second.GetProperty("id").GetInt64());
        Assert.False(second.GetProperty("created").GetBoolean());
        Assert.Equal(1, server.Alerts.Count());

        using var reader = server.Client(server.ReaderToken);
        var (got, alert) = await GroundTestServer.GetJsonAsync(reader, $"/api/alerts/{id}");
        Assert.Equal(HttpStatusCode.OK, got);
        JsonElement stored = alert.GetProperty("snr");
        Assert.Equal(JsonValueKind.Null, stored[28 * 56].ValueKind);
        Assert.Equal(snr[(28 * 56) + 28], stored[(28 * 56) + 28].GetSingle());
        Assert.Equal(3, alert.GetProperty("mask")[(28 * 56) + 28].GetInt32());
        Assert.Equal("IMT", alert.GetProperty("alert").GetProperty("trigger_type").GetString());
        var (listed, list) = await GroundTestServer.GetJsonAsync(reader, "/api/alerts?since=0");
        Assert.Equal(HttpStatusCode.OK, listed);
        Assert.Equal(id, list[0].GetProperty("id").GetInt64());
        var (after, none) = await GroundTestServer.GetJsonAsync(reader, $"/api/alerts?since={id}");
        Assert.Equal(HttpStatusCode.OK, after);
        Assert.Equal(0, none.GetArrayLength());
    }

    [Theory]
    [Backend(Backend.Sqlite)]
    [Backend(Backend.Postgres)]
    public async Task Rights_are_least_401_without_a_token_403_beyond_the_role(Backend backend)
    {
        await using GroundTestServer server = await GroundTestServer.StartAsync(backend);
        (float[] snr, byte[] mask) = TestAlerts.Make(12);
        byte[] json = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(TestAlerts.Json(snr, mask)));
        using var anonymous = server.Client(null);
        using var forged = server.Client("ecl_not-a-real-token-at-all");
        using var ingest = server.Client(server.IngestToken);
        using var reader = server.Client(server.ReaderToken);
        using var advocate = server.Client(server.AdvocateToken);

        Assert.Equal(HttpStatusCode.Unauthorized, (await GroundTestServer.PostAsync(anonymous, "/api/alerts", json, "application/json")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GroundTestServer.PostAsync(forged, "/api/alerts", json, "application/json")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await GroundTestServer.PostAsync(reader, "/api/alerts", json, "application/json")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await GroundTestServer.PostAsync(advocate, "/api/vhf", [1, 2], "application/octet-stream")).Status);
        Assert.Equal(0, server.Alerts.Count());

        var (created, answer) = await GroundTestServer.PostAsync(ingest, "/api/alerts", json, "application/json");
        Assert.Equal(HttpStatusCode.Created, created);
        long id = answer.GetProperty("id").GetInt64();
        object verdict = new { verdict = "false", comment = "SAA" };

        Assert.Equal(HttpStatusCode.Forbidden, (await GroundTestServer.PostJsonAsync(ingest, $"/api/alerts/{id}/verdict", verdict)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await GroundTestServer.GetJsonAsync(ingest, "/api/verdicts.npz")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await GroundTestServer.GetJsonAsync(ingest, $"/api/alerts/{id}")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await GroundTestServer.GetJsonAsync(ingest, "/api/alerts")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await GroundTestServer.PostJsonAsync(reader, $"/api/alerts/{id}/verdict", verdict)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GroundTestServer.PostJsonAsync(anonymous, $"/api/alerts/{id}/verdict", verdict)).Status);
        Assert.Empty(server.Verdicts.History(id));

        var (judged, v) = await GroundTestServer.PostJsonAsync(advocate, $"/api/alerts/{id}/verdict", verdict);
        Assert.Equal(HttpStatusCode.Created, judged);
        Assert.Equal("false", v.GetProperty("verdict").GetString());
        Assert.Equal("token:robot-advocate", server.Verdicts.History(id).Single().User);
        Assert.Equal(HttpStatusCode.BadRequest, (await GroundTestServer.PostJsonAsync(advocate, $"/api/alerts/{id}/verdict", new { verdict = "maybe" })).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await GroundTestServer.PostJsonAsync(advocate, $"/api/alerts/{id + 99}/verdict", verdict)).Status);
        Assert.Single(server.Verdicts.History(id));
    }

    public static IEnumerable<object[]> BadBodies()
    {
        (float[] snr, byte[] mask) = TestAlerts.Make(13);
        string good = JsonSerializer.Serialize(TestAlerts.Json(snr, mask));
        Dictionary<string, object?> Edit(Action<Dictionary<string, object?>> change)
        {
            Dictionary<string, object?> b = TestAlerts.Json(snr, mask);
            change(b);
            return b;
        }

        yield return ["truncated", good[..(good.Length / 2)], "not JSON"];
        yield return ["short snr", JsonSerializer.Serialize(Edit(b => b["snr"] = snr.Take(3000).ToArray())), "'snr' must be an array of 3136"];
        yield return ["long mask", JsonSerializer.Serialize(Edit(b => b["mask"] = mask.Select(m => (int)m).Concat([1]).ToArray())), "'mask' must be an array of 3136"];
        yield return ["NaN where the mask is set", JsonSerializer.Serialize(Edit(b => ((object?[])b["snr"]!)[100] = null)), "only mask-0 pixels may be NaN"];
        yield return ["mask value 4", JsonSerializer.Serialize(Edit(b => ((int[])b["mask"]!)[7] = 4)), "is not an integer 0..3"];
        yield return ["mask value -1", JsonSerializer.Serialize(Edit(b => ((int[])b["mask"]!)[7] = -1)), "is not an integer 0..3"];
        yield return ["SNR beyond range", JsonSerializer.Serialize(Edit(b => ((object?[])b["snr"]!)[5] = 3e7f)), "beyond"];
        yield return ["misspelt field", JsonSerializer.Serialize(Edit(b => b["peak_snrr"] = 3)), "unknown property 'peak_snrr'"];
        yield return ["no mask", JsonSerializer.Serialize(Edit(b => b.Remove("mask"))), "needs both"];
        yield return ["bad time", JsonSerializer.Serialize(Edit(b => b["trigger_time"] = "yesterday")), "ISO-8601"];
        yield return ["an array", "[1, 2, 3]", "JSON object"];
    }

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Malformed_json_is_refused_with_a_reason_and_nothing_is_stored(string what, string body, string reason)
    {
        await using GroundTestServer server = await Shared.Sqlite();
        using var ingest = server.Client(server.IngestToken);
        var (status, answer) = await GroundTestServer.PostAsync(ingest, "/api/alerts", Encoding.UTF8.GetBytes(body), "application/json");
        Assert.True(status == HttpStatusCode.BadRequest, $"{what}: {status} {answer}");
        Assert.Contains(reason, answer.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, server.Alerts.Count());
    }

    [Fact]
    public async Task Huge_bodies_and_wrong_media_types_are_refused()
    {
        await using GroundTestServer server = await Shared.Sqlite();
        using var ingest = server.Client(server.IngestToken);
        // With "Expect: 100-continue" the refusal comes before the body is sent (else the server closes mid-upload).
        ingest.DefaultRequestHeaders.ExpectContinue = true;
        var huge = new byte[(1 << 20) + 1];
        huge.AsSpan().Fill((byte)' ');
        var (status, answer) = await GroundTestServer.PostAsync(ingest, "/api/alerts", huge, "application/json");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Contains("more than", answer.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await GroundTestServer.PostAsync(ingest, "/api/vhf", new byte[(16 << 20) + 10], "application/octet-stream")).Status);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await GroundTestServer.PostAsync(ingest, "/api/notices", new byte[(256 << 10) + 1], "application/xml")).Status);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await GroundTestServer.PostAsync(ingest, "/api/alerts", [1, 2, 3], "text/plain")).Status);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await GroundTestServer.PostAsync(ingest, "/api/vhf", [1, 2, 3], "application/json")).Status);
        Assert.Equal(0, server.Alerts.Count());
    }
}

/// <summary>Shorthands for tests that need one backend only.</summary>
internal static class Shared
{
    public static Task<GroundTestServer> Sqlite() => GroundTestServer.StartAsync(Backend.Sqlite);
}
