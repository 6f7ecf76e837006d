using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Threading.Tasks;
using Eclairs.Ground.Ingest;
using Eclairs.Ground.Storage;
using Eclairs.Onboard.Telemetry;
using Xunit;

namespace Eclairs.Ground.Tests;

/// <summary>VHF alert sequences over HTTP and TCP: complete, duplicated, reordered, lost, corrupted; SQLite and PostgreSQL.</summary>
public sealed class VhfIngestTests
{
    /// <summary>
    /// The VHF timeout of the tests that wait for it: long enough that a sequence still being sent, or an assertion that
    /// it is still pending, is not overtaken by the sweeper on a loaded two-core machine (1 s was, potentially: the
    /// sweeper may close a sequence any time from 1 to 2 s after its last packet).
    /// </summary>
    private static readonly TimeSpan VhfTestTimeout = TimeSpan.FromSeconds(3);

    internal static List<byte[]> Sequence(uint observation, int seed, AlertSequenceWriter? writer = null, DateTimeOffset? trigger = null)
    {
        (float[] snr, byte[] mask) = TestAlerts.Make(seed, knownSource: true);
        DateTimeOffset t = trigger ?? new DateTimeOffset(2026, 3, 4, 9, 39, 26, TimeSpan.Zero);
        var message = new AlertMessage
        {
            ObservationId = observation, TimeTbAbsMicroseconds = VhfTime.ToMicroseconds(t), TimeTbMilliseconds = 20480, SlewRequest = 1,
            SkySnr = snr[(28 * 56) + 28], TriggerCriterium = AlertMessage.ImageTrigger, SkyYfit = 99 * 256, SkyZfit = 101 * 256, SkyTheta = 1 << 20,
        };
        var buffer = new byte[AlertSequenceWriter.SequenceBytes(56)];
        int length = (writer ?? new AlertSequenceWriter()).Write(buffer, message, snr, mask, 56, VhfTime.ToMicroseconds(t.AddSeconds(2)));
        var packets = new List<byte[]>();
        for (int at = 0; at < length;)
        {
            int n = VhfPacket.AnnouncedLength(buffer.AsSpan(at));
            packets.Add(buffer.AsSpan(at, n).ToArray());
            at += n;
        }

        return packets;
    }

    internal static byte[] Concat(IEnumerable<byte[]> packets) => [.. packets.SelectMany(p => p)];

    [Theory]
    [Backend(Backend.Sqlite)]
    [Backend(Backend.Postgres)]
    public async Task A_sequence_becomes_one_alert_whatever_the_order_and_the_duplicates(Backend backend)
    {
        await using GroundTestServer server = await GroundTestServer.StartAsync(backend);
        using var ingest = server.Client(server.IngestToken);
        List<byte[]> packets = Sequence(4242, 21);
        var shuffled = packets.OrderBy(p => BitConverter.ToInt32(System.Security.Cryptography.SHA256.HashData(p))).ToList();
        shuffled.Insert(5, shuffled[2]);

        var (status, answer) = await GroundTestServer.PostAsync(ingest, "/api/vhf", Concat(shuffled), "application/octet-stream");
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal(16, answer.GetProperty("packets").GetInt32());
        Assert.Equal(15, answer.GetProperty("new_packets").GetInt32());
        Assert.Equal(1, answer.GetProperty("duplicates").GetInt32());
        JsonElement alert = answer.GetProperty("alerts")[0];
        Assert.False(alert.GetProperty("incomplete").GetBoolean());
        Assert.Equal(4242, alert.GetProperty("observation_id").GetInt64());
        Assert.Equal(4, alert.GetProperty("classifications").GetArrayLength());

        var (again, second) = await GroundTestServer.PostAsync(ingest, "/api/vhf", Concat(packets), "application/octet-stream");
        Assert.Equal(HttpStatusCode.OK, again);
        Assert.Equal(alert.GetProperty("id").GetInt64(), second.GetProperty("alerts")[0].GetProperty("id").GetInt64());
        Assert.Equal(1, server.Alerts.Count());

        StoredAlert stored = server.Alerts.Get(alert.GetProperty("id").GetInt64())!;
        (float[] snr, byte[] mask) = TestAlerts.Make(21, knownSource: true);
        Assert.Equal(mask, stored.Mask);
        Assert.Equal(snr, stored.Snr);
        Assert.Equal(new DateTimeOffset(2026, 3, 4, 9, 39, 26, TimeSpan.Zero), stored.TriggerTime);
        Assert.Equal(99.0, stored.SkyY);
        Assert.True(stored.SlewRequested);
    }

    [Theory]
    [Backend(Backend.Sqlite)]
    [Backend(Backend.Postgres)]
    public async Task A_lost_part_leaves_an_incomplete_alert_with_its_rows_masked_never_invented(Backend backend)
    {
        await using GroundTestServer server = await GroundTestServer.StartAsync(backend, o => new GroundOptions
        {
            DataDir = o.DataDir, Postgres = o.Postgres, ModelsDir = o.ModelsDir, Urls = o.Urls, VhfTimeout = VhfTestTimeout,
        });
        using var ingest = server.Client(server.IngestToken);
        List<byte[]> packets = Sequence(9, 22);
        packets.RemoveAt(1 + 3);
        var (status, answer) = await GroundTestServer.PostAsync(ingest, "/api/vhf", Concat(packets), "application/octet-stream");
        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal(9, answer.GetProperty("pending_observations")[0].GetInt64());
        Assert.Equal(0, server.Alerts.Count());

        StoredAlert? alert = null;
        for (int i = 0; i < 300 && alert is null; i++)
        {
            await Task.Delay(100);
            IReadOnlyList<StoredAlert> listed = server.Alerts.List(null, null, 10);
            alert = listed.Count > 0 ? listed[0] : null;
        }

        Assert.NotNull(alert);
        alert = server.Alerts.Get(alert.Id)!;
        Assert.True(alert.Incomplete);
        Assert.Contains("sub-image part 3 of 14", alert.Missing, StringComparison.Ordinal);
        (float[] snr, byte[] mask) = TestAlerts.Make(22, knownSource: true);
        for (int i = 0; i < 56 * 56; i++)
        {
            bool lost = i / 56 is >= 12 and < 16;
            Assert.Equal(lost ? 0 : mask[i], alert.Mask[i]);
            Assert.Equal(lost ? float.NaN : snr[i], alert.Snr[i]);
        }

        Assert.Equal(4, alert.Classifications.Count);
        // The lost packet arriving late is kept, but the stored alert is not rewritten.
        var (late, _) = await GroundTestServer.PostAsync(ingest, "/api/vhf", Sequence(9, 22)[4], "application/octet-stream");
        Assert.Equal(HttpStatusCode.OK, late);
        Assert.True(server.Alerts.Get(alert.Id)!.Incomplete);
    }

    public static IEnumerable<object[]> BadStreams()
    {
        List<byte[]> p = Sequence(5, 23);
        byte[] all = Concat(p);
        byte[] Flip(int offset)
        {
            byte[] b = (byte[])all.Clone();
            b[offset] ^= 0x10;
            return b;
        }

        byte[] Reheader(int packet, Action<byte[]> change)
        {
            List<byte[]> q = [.. p.Select(x => (byte[])x.Clone())];
            change(q[packet]);
            return Concat(q);
        }

        yield return ["truncated body", all[..^100], "truncated body"];
        yield return ["corrupted pixel", Flip(p[0].Length + 500), "packet error control"];
        yield return ["corrupted message", Flip(20), "packet error control"];
        yield return ["unknown APID", Reheader(0, b => b[1] = 0x99), "packet error control"];
        yield return ["length too large", Reheader(0, b => { b[4] = 0xFF; b[5] = 0xFF; }), "more than the 4096"];
        yield return ["empty", Array.Empty<byte>(), "no packet"];
        yield return ["a few bytes", new byte[] { 1, 2, 3 }, "truncated body"];
    }

    [Theory]
    [MemberData(nameof(BadStreams))]
    public async Task Malformed_packets_refuse_the_whole_body(string what, byte[] body, string reason)
    {
        await using GroundTestServer server = await Shared.Sqlite();
        using var ingest = server.Client(server.IngestToken);
        var (status, answer) = await GroundTestServer.PostAsync(ingest, "/api/vhf", body, "application/octet-stream");
        Assert.True(status == HttpStatusCode.BadRequest, $"{what}: {status} {answer}");
        Assert.Contains(reason, answer.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, new PacketStore(server.Database).Count());
        Assert.Equal(0, server.Alerts.Count());
    }

    [Fact]
    public void Packets_that_pass_the_crc_but_break_the_layout_are_refused_by_the_decoder()
    {
        (float[] snr, byte[] mask) = TestAlerts.Make(24);
        snr[56 * 5] = float.NaN;
        var part = new SubImagePart(3, 0, 1, 14, 4, 4, 56);
        var user = new byte[part.UserDataLength];
        part.Write(user, snr, mask);
        var packet = new byte[user.Length + VhfPacket.Overhead];
        VhfPacket.Write(packet, VhfApid.SubImage, 0, 0, user);
        Assert.Contains("where the mask is 1", Assert.Throws<TelemetryFormatException>(() => VhfDecoder.Decode(packet)).Message, StringComparison.Ordinal);

        var wrongApid = new byte[user.Length + VhfPacket.Overhead];
        VhfPacket.Write(wrongApid, 0x123, 0, 0, user);
        Assert.Contains("APID 291", Assert.Throws<TelemetryFormatException>(() => VhfDecoder.Decode(wrongApid)).Message, StringComparison.Ordinal);

        var message = new byte[AlertMessage.Size + VhfPacket.Overhead];
        var m = new byte[AlertMessage.Size];
        new AlertMessage { TriggerCriterium = 7 }.Write(m);
        VhfPacket.Write(message, VhfApid.AlertMessage, 0, 0, m);
        Assert.Contains("Alert_TriggerCriterium 7", Assert.Throws<TelemetryFormatException>(() => VhfDecoder.Decode(message)).Message, StringComparison.Ordinal);

        var shortPart = new byte[100 + VhfPacket.Overhead];
        VhfPacket.Write(shortPart, VhfApid.SubImage, 0, 0, user.AsSpan(0, 100));
        Assert.Contains("the packet holds 100", Assert.Throws<TelemetryFormatException>(() => VhfDecoder.Decode(shortPart)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_tcp_listener_takes_a_stream_and_drops_only_the_corrupted_packet()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
        }

        await using GroundTestServer server = await GroundTestServer.StartAsync(Backend.Sqlite, o => new GroundOptions
        {
            DataDir = o.DataDir, ModelsDir = o.ModelsDir, Urls = o.Urls, VhfListen = port.ToString(System.Globalization.CultureInfo.InvariantCulture), VhfTimeout = VhfTestTimeout,
        });
        var writer = new AlertSequenceWriter();
        List<byte[]> first = Sequence(100, 25, writer), second = Sequence(101, 26, writer);
        second[7][300] ^= 1;
        using (var client = new TcpClient())
        {
            await client.ConnectAsync(IPAddress.Loopback, port);
            NetworkStream stream = client.GetStream();
            foreach (byte[] packet in first.Concat(second))
            {
                await stream.WriteAsync(packet.AsMemory(0, 10));
                await stream.WriteAsync(packet.AsMemory(10));
            }
        }

        List<StoredAlert> alerts = [];
        for (int i = 0; i < 300 && alerts.Count < 2; i++)
        {
            await Task.Delay(100);
            alerts = [.. server.Alerts.List(null, null, 10)];
        }

        Assert.Equal(2, alerts.Count);
        StoredAlert complete = alerts.Single(a => a.ObservationId == 100), broken = alerts.Single(a => a.ObservationId == 101);
        Assert.False(complete.Incomplete);
        Assert.True(broken.Incomplete);
        Assert.Contains("part 6 of 14", broken.Missing, StringComparison.Ordinal);
    }
}
