using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using Eclairs.Ground.Storage;
using Eclairs.Simulation.Formats;
using Xunit;

namespace Eclairs.Ground.Tests;

/// <summary>
/// The commands end to end as a newcomer runs them: users add (password on stdin), tokens add (token alone on the last
/// line), vhf (a data set packetized), serve (a real process), verdicts (npz) beside GET /api/verdicts.npz, and the
/// exported verdicts read by evaluate.
/// </summary>
public sealed class CliTests
{
    [Fact]
    public async Task Accounts_packets_service_and_verdicts_from_the_command_line()
    {
        string dir = TestPaths.NewTempDir("ground-cli");
        string data = Path.Combine(dir, "data");
        (int code, string output, string error) = ServeProcess.Run("correct horse battery", "users", "add", "--data-dir", data, "--name", "alice", "--role", "advocate");
        Assert.True(code == 0, output + error);
        Assert.NotEqual(0, ServeProcess.Run("short", "users", "add", "--data-dir", data, "--name", "bob", "--role", "advocate").Code);
        Assert.NotEqual(0, ServeProcess.Run("long enough password", "users", "add", "--data-dir", data, "--name", "alice", "--role", "advocate").Code);
        (code, output, _) = ServeProcess.Run(null, "tokens", "add", "--data-dir", data, "--name", "station", "--role", "ingest");
        Assert.Equal(0, code);
        string ingestToken = output.TrimEnd().Split('\n')[^1];
        Assert.Matches("^ecl_[A-Za-z0-9_-]{43}$", ingestToken);
        string advocateToken = ServeProcess.Run(null, "tokens", "add", "--data-dir", data, "--name", "robot", "--role", "advocate").Output.TrimEnd().Split('\n')[^1];
        using (Database db = Database.OpenSqlite(data))
        {
            string stored = string.Join(",", db.Read(c => Storage.Sql.Rows(c, null, "SELECT token_hash FROM tokens", r => (string)r["token_hash"])));
            Assert.DoesNotContain(ingestToken, stored, StringComparison.Ordinal);
            Assert.Contains(AccountStore.HashToken(ingestToken), stored, StringComparison.Ordinal);
            string hash = db.Read(c => Storage.Sql.Scalar<string>(c, null, "SELECT password_hash FROM users"))!;
            Assert.DoesNotContain("horse", hash, StringComparison.Ordinal);
        }

        AlertDataset set = AlertDataset.Allocate(3);
        for (int i = 0; i < 3; i++)
        {
            (float[] snr, byte[] mask) = TestAlerts.Make(700 + i, edge: i == 1);
            snr.AsSpan().CopyTo(set.SnrOf(i));
            mask.AsSpan().CopyTo(set.MaskOf(i));
            set.PeakSnr[i] = snr[(28 * 56) + 28];
            set.SkyY[i] = 90 + i;
            set.SkyZ[i] = 100;
            set.Label[i] = 1;
        }

        set.ComputePartial();
        AlertDatasetFile.Write(set, Path.Combine(dir, "alerts.npz"));
        (code, output, error) = ServeProcess.Run(null, "vhf", "--data", Path.Combine(dir, "alerts.npz"), "--out", Path.Combine(dir, "seq.bin"), "--start", "2026-05-10T12:00:00Z");
        Assert.True(code == 0, output + error);
        Assert.Contains("3 alert sequences, 45 packets", output, StringComparison.Ordinal);

        using (ServeProcess serve = ServeProcess.Start(data))
        {
            using var ingest = new HttpClient { BaseAddress = serve.Address };
            ingest.DefaultRequestHeaders.Authorization = new("Bearer", ingestToken);
            var (status, answer) = await GroundTestServer.PostAsync(ingest, "/api/vhf", File.ReadAllBytes(Path.Combine(dir, "seq.bin")), "application/octet-stream");
            Assert.Equal(HttpStatusCode.Created, status);
            long[] ids = [.. answer.GetProperty("alerts").EnumerateArray().Select(a => a.GetProperty("id").GetInt64())];
            Assert.Equal(3, ids.Length);

            using var advocate = new HttpClient { BaseAddress = serve.Address };
            advocate.DefaultRequestHeaders.Authorization = new("Bearer", advocateToken);
            Assert.Equal(HttpStatusCode.Created, (await GroundTestServer.PostJsonAsync(advocate, $"/api/alerts/{ids[0]}/verdict", new { verdict = "false", comment = "first look" })).Status);
            Assert.Equal(HttpStatusCode.Created, (await GroundTestServer.PostJsonAsync(advocate, $"/api/alerts/{ids[0]}/verdict", new { verdict = "true", comment = "second look" })).Status);
            Assert.Equal(HttpStatusCode.Created, (await GroundTestServer.PostJsonAsync(advocate, $"/api/alerts/{ids[2]}/verdict", new { verdict = "unclear", comment = "" })).Status);
            File.WriteAllBytes(Path.Combine(dir, "api.npz"), await advocate.GetByteArrayAsync("/api/verdicts.npz"));
            (int c, string o, string e) = ServeProcess.Run(null, "verdicts", "--data-dir", data, "--out", Path.Combine(dir, "cli.npz"));
            Assert.True(c == 0, o + e);
            Assert.Contains("2 judged alerts", o, StringComparison.Ordinal);
        }

        foreach (string file in new[] { "api.npz", "cli.npz" })
        {
            AlertDataset v = AlertDatasetFile.Read(Path.Combine(dir, file));
            Assert.Equal(2, v.Count);
            Assert.Equal(new byte[] { 1, 2 }, v.Label);
            Assert.Equal(set.SnrOf(0).ToArray(), v.SnrOf(0).ToArray());
            Assert.Equal(set.MaskOf(2).ToArray(), v.MaskOf(1).ToArray());
            Assert.Equal(90f, v.SkyY[0]);
        }

        // Ready for evaluate: the data set is read, scored and reported (unclear kept apart).
        (int ec, string eo, string ee) = ServeProcess.Run(null, "evaluate", "--model", Path.Combine(TestPaths.Weights, "eclairs-compact-v1.f32.eclw"),
            "--data", Path.Combine(dir, "cli.npz"), "--report", Path.Combine(dir, "report"));
        Assert.True(ec == 0, eo + ee);
        Assert.True(File.Exists(Path.Combine(dir, "report", "metrics.json")));
        Directory.Delete(dir, recursive: true);
    }
}
