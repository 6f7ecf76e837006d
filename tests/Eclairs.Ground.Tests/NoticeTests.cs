using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Eclairs.Ground.Ingest;
using Eclairs.Ground.Storage;
using Xunit;

namespace Eclairs.Ground.Tests;

/// <summary>The twenty real SVOM/ECLAIRs notices: every one parsed, attached, and every field of their README on the alert page.</summary>
public sealed partial class NoticeTests
{
    /// <summary>Every field the notices' README lists (a catalogue notice adds Onboard_Catalog_Id and Source_Name).</summary>
    private static readonly string[] ReadmeFields =
    [
        "Packet_Type", "Pkt_Ser_Num", "Instrument", "Notice_Level", "Burst_Id", "SNR", "Timescale", "Time_Window_Start", "Time_Window_End",
        "Lower_Energy_Bound", "Upper_Energy_Bound", "Trigger_Type", "Galactic_Lon", "Galactic_Lat", "Moon_Angle", "Sun_Angle", "Slew_Status",
        "Attitude_Ra", "Attitude_Dec", "Attitude_Roll", "Sat_Longitude", "Sat_Latitude", "Sat_Altitude",
    ];

    [GeneratedRegex("<Param name=\"([A-Za-z_]+)\" value=\"([^\"]*)\"")]
    private static partial Regex ParamText();

    [GeneratedRegex("<ISOTime>([^<]+)</ISOTime>")]
    private static partial Regex IsoTimeText();

    [GeneratedRegex("<(C1|C2|Error2Radius)>([^<]+)</")]
    private static partial Regex PositionText();

    public static IEnumerable<object[]> NoticeFiles() =>
        TestPaths.Notices is string dir ? Directory.GetFiles(dir, "*.xml").Order(StringComparer.Ordinal).Select(f => new object[] { Path.GetFileName(f) }) : [["(notices folder missing)"]];

    private static string PathOf(string name) => Path.Combine(TestPaths.Notices ?? throw new InvalidOperationException("the real notices are not beside the repository"), name);

    /// <summary>The Param values of a notice read with a plain regular expression over its text (not the XML parser under test).</summary>
    private static Dictionary<string, string> ParamsByText(string xml) =>
        ParamText().Matches(xml).ToDictionary(m => m.Groups[1].Value, m => WebUtility.HtmlDecode(m.Groups[2].Value));

    [Theory]
    [MemberData(nameof(NoticeFiles))]
    public void Every_real_notice_parses_with_every_field_of_the_readme(string file)
    {
        string xml = File.ReadAllText(PathOf(file));
        VoEventNotice notice = VoEventNotice.Parse(File.ReadAllBytes(PathOf(file)));
        Dictionary<string, string> expected = ParamsByText(xml);
        // Six of the twenty real notices carry no Sat_Longitude/Latitude/Altitude: those three are optional.
        foreach (string field in ReadmeFields.Concat(notice.PacketType == 203 ? ["Onboard_Catalog_Id", "Source_Name"] : []))
        {
            Assert.True(expected.ContainsKey(field) || field.StartsWith("Sat_", StringComparison.Ordinal), $"{file} has no {field} (README)");
        }

        foreach ((string name, string value) in expected)
        {
            Assert.Equal(value, notice.Facts.Single(f => f.Name == name).Value);
        }

        Assert.Equal(int.Parse(expected["Packet_Type"], System.Globalization.CultureInfo.InvariantCulture), notice.PacketType);
        Assert.Equal(expected["Burst_Id"], notice.BurstId);
        Assert.StartsWith("ivo://org.svom/fsc#" + expected["Burst_Id"], notice.Ivorn, StringComparison.Ordinal);
        string iso = IsoTimeText().Match(xml).Groups[1].Value;
        Assert.Equal(DateTimeOffset.Parse(iso + "Z", System.Globalization.CultureInfo.InvariantCulture), notice.TriggerTime);
        foreach (Match m in PositionText().Matches(xml))
        {
            Assert.Contains(notice.Facts, f => f.Value == m.Groups[2].Value && f.Group == "WhereWhen");
        }

        Assert.Equal(notice.PacketType == 219, notice.IsRetraction);
    }

    [Theory]
    [Backend(Backend.Sqlite)]
    [Backend(Backend.Postgres)]
    public async Task Notices_attach_by_trigger_time_then_burst_id_and_every_field_shows_on_the_alert_page(Backend backend)
    {
        await using GroundTestServer server = await GroundTestServer.StartAsync(backend);
        using var ingest = server.Client(server.IngestToken);
        string[] files = [.. Directory.GetFiles(TestPaths.Notices!, "*.xml").Order(StringComparer.Ordinal)];
        var notices = files.Select(f => (File: f, Notice: VoEventNotice.Parse(File.ReadAllBytes(f)))).ToList();
        // One alert per burst, at the trigger time of its first notice, with no burst id: the first notice attaches by time.
        var alertOf = new Dictionary<string, long>();
        int seed = 100;
        foreach (var group in notices.GroupBy(n => n.Notice.BurstId!))
        {
            (float[] snr, byte[] mask) = TestAlerts.Make(seed++);
            DateTimeOffset t = group.First().Notice.TriggerTime!.Value.AddSeconds(1.5);
            var (status, answer) = await GroundTestServer.PostJsonAsync(ingest, "/api/alerts", TestAlerts.Json(snr, mask, t));
            Assert.Equal(HttpStatusCode.Created, status);
            alertOf[group.Key] = answer.GetProperty("id").GetInt64();
        }

        foreach ((string file, VoEventNotice notice) in notices)
        {
            var (status, answer) = await GroundTestServer.PostAsync(ingest, "/api/notices", File.ReadAllBytes(file), "application/xml");
            Assert.Equal(HttpStatusCode.Created, status);
            Assert.Equal(alertOf[notice.BurstId!], answer.GetProperty("alert_id").GetInt64());
            Assert.Equal(HttpStatusCode.OK, (await GroundTestServer.PostAsync(ingest, "/api/notices", File.ReadAllBytes(file), "application/xml")).Status);
        }

        using var alice = await Browserless.LoginAsync(server, "alice", GroundTestServer.AdvocatePassword);
        foreach ((string burst, long id) in alertOf)
        {
            StoredAlert alert = server.Alerts.Get(id)!;
            Assert.Equal(burst, alert.BurstId);
            var mine = notices.Where(n => n.Notice.BurstId == burst).ToList();
            Assert.Equal(mine.Any(n => n.Notice.IsRetraction), alert.Retracted);
            Assert.Equal(mine[^1].Notice.SlewStatus, alert.SlewStatus);
            string page = WebUtility.HtmlDecode(await alice.GetStringAsync($"/alerts/{id}"));
            foreach ((string file, _) in mine)
            {
                string xml = File.ReadAllText(file);
                foreach ((string name, string value) in ParamsByText(xml))
                {
                    Assert.Contains($"<td>{name}</td><td>{value}</td>", page, StringComparison.Ordinal);
                }

                Assert.Contains($"<td>ISOTime</td><td>{IsoTimeText().Match(xml).Groups[1].Value}</td>", page, StringComparison.Ordinal);
                foreach (Match m in PositionText().Matches(xml))
                {
                    Assert.Contains($"<td>{m.Groups[2].Value}</td>", page, StringComparison.Ordinal);
                }
            }

            Assert.Equal(alert.Retracted, page.Contains("Retracted by a GCN notice", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task A_notice_first_waits_for_its_alert()
    {
        await using GroundTestServer server = await Shared.Sqlite();
        using var ingest = server.Client(server.IngestToken);
        string file = PathOf("eclairs_304.xml");
        var (status, answer) = await GroundTestServer.PostAsync(ingest, "/api/notices", File.ReadAllBytes(file), "application/xml");
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, answer.GetProperty("alert_id").ValueKind);
        (float[] snr, byte[] mask) = TestAlerts.Make(5);
        var (_, alert) = await GroundTestServer.PostJsonAsync(ingest, "/api/alerts", TestAlerts.Json(snr, mask, burst: "sb26030408"));
        StoredAlert stored = server.Alerts.Get(alert.GetProperty("id").GetInt64())!;
        Assert.True(stored.Retracted);
        Assert.Equal("rejected", stored.SlewStatus);
    }

    [Theory]
    [InlineData("<VOEvent", "not well-formed XML")]
    [InlineData("<?xml version=\"1.0\"?><Other/>", "not a VOEvent 2.0")]
    [InlineData("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"b\">]><x>&a;</x>", "not well-formed XML")]
    [InlineData("<voe:VOEvent xmlns:voe=\"http://www.ivoa.net/xml/VOEvent/v2.0\" ivorn=\"ivo://x#y\"><What><Param name=\"Packet_Type\" value=\"abc\"/></What></voe:VOEvent>", "Packet_Type 'abc'")]
    [InlineData("<voe:VOEvent xmlns:voe=\"http://www.ivoa.net/xml/VOEvent/v2.0\" ivorn=\"ivo://x#y\"><What/></voe:VOEvent>", "no Packet_Type")]
    [InlineData("<voe:VOEvent xmlns:voe=\"http://www.ivoa.net/xml/VOEvent/v2.0\"><What/></voe:VOEvent>", "no ivorn")]
    public async Task Bad_notices_are_refused(string xml, string reason)
    {
        await using GroundTestServer server = await Shared.Sqlite();
        using var ingest = server.Client(server.IngestToken);
        var (status, answer) = await GroundTestServer.PostAsync(ingest, "/api/notices", Encoding.UTF8.GetBytes(xml), "application/xml");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(reason, answer.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_notices_folder_is_watched_and_each_file_is_filed_done_or_refused()
    {
        string dir = TestPaths.NewTempDir("notices");
        await using GroundTestServer server = await GroundTestServer.StartAsync(Backend.Sqlite, o => new GroundOptions
        {
            DataDir = o.DataDir, ModelsDir = o.ModelsDir, Urls = o.Urls, NoticesDir = dir,
        });
        using var ingest = server.Client(server.IngestToken);
        (float[] snr, byte[] mask) = TestAlerts.Make(6);
        var (_, alert) = await GroundTestServer.PostJsonAsync(ingest, "/api/alerts", TestAlerts.Json(snr, mask, burst: "sb26021102"));
        File.Copy(PathOf("eclairs_296.xml"), Path.Combine(dir, "eclairs_296.xml"));
        File.WriteAllText(Path.Combine(dir, "broken.xml"), "<VOEvent");
        File.SetLastWriteTimeUtc(Path.Combine(dir, "eclairs_296.xml"), DateTime.UtcNow.AddSeconds(-5));
        File.SetLastWriteTimeUtc(Path.Combine(dir, "broken.xml"), DateTime.UtcNow.AddSeconds(-5));
        for (int i = 0; i < 100 && !(File.Exists(Path.Combine(dir, "done", "eclairs_296.xml")) && File.Exists(Path.Combine(dir, "refused", "broken.xml.reason.txt"))); i++)
        {
            await Task.Delay(100);
        }

        Assert.True(File.Exists(Path.Combine(dir, "done", "eclairs_296.xml")));
        Assert.Contains("not well-formed", File.ReadAllText(Path.Combine(dir, "refused", "broken.xml.reason.txt")), StringComparison.Ordinal);
        Assert.Equal("not-requested", server.Alerts.Get(alert.GetProperty("id").GetInt64())!.SlewStatus);
        Directory.Delete(dir, recursive: true);
    }
}
