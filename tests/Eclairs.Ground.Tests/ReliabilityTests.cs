using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Eclairs.Ground.Storage;
using Eclairs.Onboard.Telemetry;
using Xunit;
using Xunit.Abstractions;

namespace Eclairs.Ground.Tests;

/// <summary>
/// docs/ground.md's reliability figures: an SAA storm of 1,000 alert sequences with nothing lost and the latency
/// percentiles, and kill -9 of a real <c>eclairs serve</c> in the middle of ingest: after a restart every acknowledged
/// alert is there, none twice, and clients that resend everything end with each alert exactly once.
/// </summary>
public sealed class ReliabilityTests
{
    private readonly ITestOutputHelper _out;

    public ReliabilityTests(ITestOutputHelper output) => _out = output;

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p / 100 * sorted.Count) - 1)];

    private static string Percentiles(IEnumerable<double> values)
    {
        List<double> s = [.. values.Order()];
        return string.Create(CultureInfo.InvariantCulture, $"p50 {Percentile(s, 50):F1} ms, p90 {Percentile(s, 90):F1} ms, p99 {Percentile(s, 99):F1} ms, max {s[^1]:F1} ms");
    }

    [Theory]
    [Backend(Backend.Sqlite)]
    [Backend(Backend.Postgres)]
    public async Task An_saa_storm_of_1000_sequences_is_ingested_with_nothing_lost(Backend backend)
    {
        // 1,000 on SQLite; 200 on PostgreSQL in the test run to keep CI short (ECLAIRS_GROUND_BURST=1000 for the docs' figure).
        int alerts = backend == Backend.Sqlite ? 1000 : int.TryParse(Environment.GetEnvironmentVariable("ECLAIRS_GROUND_BURST"), CultureInfo.InvariantCulture, out int n) ? n : 200;
        const int clients = 4;
        await using GroundTestServer server = await GroundTestServer.StartAsync(backend);
        var writer = new AlertSequenceWriter();
        var bodies = new byte[alerts][];
        for (int i = 0; i < alerts; i++)
        {
            bodies[i] = VhfIngestTests.Concat(VhfIngestTests.Sequence((uint)(10_000 + i), 2000 + (i % 50), writer, new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(i)));
        }

        var roundTrips = new ConcurrentBag<double>();
        var statuses = new ConcurrentBag<HttpStatusCode>();
        int next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
        {
            using HttpClient ingest = server.Client(server.IngestToken);
            for (int i = Interlocked.Increment(ref next); i < alerts; i = Interlocked.Increment(ref next))
            {
                long start = Stopwatch.GetTimestamp();
                var (status, _) = await GroundTestServer.PostAsync(ingest, "/api/vhf", bodies[i], "application/octet-stream");
                roundTrips.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                statuses.Add(status);
            }
        }));
        double seconds = clock.Elapsed.TotalSeconds;

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.Created, s));
        IReadOnlyList<(long Id, string Key, long LatencyUs)> keys = server.Alerts.Keys();
        Assert.Equal(alerts, keys.Count);
        Assert.Equal(Enumerable.Range(10_000, alerts).Select(o => $"vhf:{o}").Order(StringComparer.Ordinal), keys.Select(k => k.Key).Order(StringComparer.Ordinal));
        Assert.Equal(alerts * 15, new PacketStore(server.Database).Count());
        _out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{TestDatabases.Describe(backend)}: {alerts} sequences ({alerts * 15} packets, 4 models each) from {clients} clients in {seconds:F1} s = {alerts / seconds:F0} alerts/s"));
        _out.WriteLine("  ingest-to-classified (server, request arrival to classified, before commit): " + Percentiles(keys.Select(k => k.LatencyUs / 1000.0)));
        _out.WriteLine("  round trip (client, send to 201 after commit): " + Percentiles(roundTrips));
    }

    [Fact]
    public async Task After_kill_9_during_ingest_every_acknowledged_alert_is_there_once()
    {
        string dir = TestPaths.NewTempDir("ground-kill");
        string token;
        using (Database db = Database.OpenSqlite(dir))
        {
            token = new AccountStore(db).AddToken("feeder", "ingest");
        }

        // Payloads: JSON alerts and VHF sequences, interleaved.
        var writer = new AlertSequenceWriter();
        var payloads = new List<(string Path, string Type, byte[] Body)>();
        // Far more than the 60 acknowledged before the kill: four clients must not be able to send the rest while the
        // test's own continuation waits for a thread on a loaded machine.
        for (int i = 0; i < 400; i++)
        {
            if (i % 2 == 0)
            {
                (float[] snr, byte[] mask) = TestAlerts.Make(3000 + i);
                payloads.Add(("/api/alerts", "application/json", Encoding.UTF8.GetBytes(JsonSerializer.Serialize(TestAlerts.Json(snr, mask)))));
            }
            else
            {
                payloads.Add(("/api/vhf", "application/octet-stream", VhfIngestTests.Concat(VhfIngestTests.Sequence((uint)(50_000 + i), 3000 + i, writer))));
            }
        }

        var acknowledged = new ConcurrentDictionary<int, long>();
        int sent = -1;
        using (ServeProcess serve = ServeProcess.Start(dir))
        {
            using var stop = new CancellationTokenSource();
            Task[] clients = [.. Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
            {
                using var http = new HttpClient { BaseAddress = serve.Address, Timeout = TimeSpan.FromSeconds(20) };
                http.DefaultRequestHeaders.Authorization = new("Bearer", token);
                for (int i = Interlocked.Increment(ref sent); i < payloads.Count && !stop.IsCancellationRequested; i = Interlocked.Increment(ref sent))
                {
                    try
                    {
                        var (status, answer) = await GroundTestServer.PostAsync(http, payloads[i].Path, payloads[i].Body, payloads[i].Type);
                        if (status is HttpStatusCode.Created or HttpStatusCode.OK)
                        {
                            acknowledged[i] = answer.TryGetProperty("alerts", out JsonElement a) ? a[0].GetProperty("id").GetInt64() : answer.GetProperty("id").GetInt64();
                        }
                    }
                    catch (HttpRequestException)
                    {
                        return;
                    }
                    catch (TaskCanceledException)
                    {
                        return;
                    }
                }
            }))];
            while (acknowledged.Count < 60)
            {
                await Task.Delay(20);
            }

            serve.KillHard();
            await stop.CancelAsync();
            await Task.WhenAll(clients);
        }

        int acked = acknowledged.Count;
        Assert.True(acked < payloads.Count, "the kill came after everything was sent: nothing tested");
        using (ServeProcess again = ServeProcess.Start(dir))
        using (var http = new HttpClient { BaseAddress = again.Address })
        {
            http.DefaultRequestHeaders.Authorization = new("Bearer", token);
            using (Database db = Database.OpenSqlite(dir))
            {
                var stored = new AlertStore(db).Keys();
                Assert.Equal(stored.Count, stored.Select(k => k.Key).Distinct().Count());
                var ids = stored.Select(k => k.Id).ToHashSet();
                Assert.All(acknowledged, a => Assert.Contains(a.Value, ids));
                _out.WriteLine($"kill -9 after {acked} acknowledged ingests (of {payloads.Count}); {stored.Count} alerts in the database after restart, all {acked} acknowledged among them");
            }

            // Clients resend everything: what was stored answers 200 with the same id, the rest is stored now.
            int created = 0, same = 0;
            for (int i = 0; i < payloads.Count; i++)
            {
                var (status, answer) = await GroundTestServer.PostAsync(http, payloads[i].Path, payloads[i].Body, payloads[i].Type);
                Assert.True(status is HttpStatusCode.Created or HttpStatusCode.OK, $"payload {i}: {status} {answer}");
                long id = answer.TryGetProperty("alerts", out JsonElement a) ? a[0].GetProperty("id").GetInt64() : answer.GetProperty("id").GetInt64();
                if (acknowledged.TryGetValue(i, out long before))
                {
                    Assert.Equal(HttpStatusCode.OK, status);
                    Assert.Equal(before, id);
                    same++;
                }
                else
                {
                    created += status == HttpStatusCode.Created ? 1 : 0;
                }
            }

            using Database check = Database.OpenSqlite(dir);
            Assert.Equal(payloads.Count, new AlertStore(check).Count());
            _out.WriteLine($"after resending all {payloads.Count}: {same} answered 200 with their first id, {created} stored now, {payloads.Count} alerts in all, none twice");
        }

        Directory.Delete(dir, recursive: true);
    }
}
