using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using Eclairs.Ground.Storage;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Chromium;
using OpenQA.Selenium.Support.UI;
using Xunit;
using Xunit.Abstractions;

namespace Eclairs.Ground.Tests;

/// <summary>A fact that needs Debian's chromium and chromium-driver (skipped with the reason when either is missing).</summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public const string Chromium = "/usr/bin/chromium";
    public const string Driver = "/usr/bin/chromedriver";

    public BrowserFactAttribute()
    {
        if (!File.Exists(Chromium) || !File.Exists(Driver))
        {
            Skip = "no browser: Debian's chromium and chromium-driver are not installed (.ci/run installs them)";
        }
    }
}

/// <summary>
/// The real browser: headless Chromium driven by Selenium logs in, opens an alert, sees the pictures and the
/// probabilities rendered, records a verdict that lands in the database, and watches the list update by itself.
/// </summary>
public sealed class BrowserTests
{
    private readonly ITestOutputHelper _out;

    public BrowserTests(ITestOutputHelper output) => _out = output;

    private static ChromeDriver StartChromium(string profile)
    {
        ChromeDriverService service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(BrowserFactAttribute.Driver)!, Path.GetFileName(BrowserFactAttribute.Driver));
        service.HideCommandPromptWindow = true;
        service.SuppressInitialDiagnosticInformation = true;
        var options = new ChromeOptions { BinaryLocation = BrowserFactAttribute.Chromium };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--window-size=1400,2200", $"--user-data-dir={profile}");
        return new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
    }

    [BrowserFact]
    public async Task An_advocate_logs_in_reads_an_alert_and_records_a_verdict_in_chromium()
    {
        await using GroundTestServer server = await Shared.Sqlite();
        using var ingest = server.Client(server.IngestToken);
        var (status, answer) = await GroundTestServer.PostAsync(ingest, "/api/vhf", VhfIngestTests.Concat(VhfIngestTests.Sequence(8080, 808, trigger: new DateTimeOffset(2026, 2, 11, 19, 24, 22, TimeSpan.Zero))), "application/octet-stream");
        Assert.Equal(HttpStatusCode.Created, status);
        long id = answer.GetProperty("alerts")[0].GetProperty("id").GetInt64();
        string notice = Path.Combine(TestPaths.Notices!, "eclairs_296.xml");
        Assert.Equal(HttpStatusCode.Created, (await GroundTestServer.PostAsync(ingest, "/api/notices", File.ReadAllBytes(notice), "application/xml")).Status);

        string profile = TestPaths.NewTempDir("chromium-profile");
        using ChromeDriver browser = StartChromium(profile);
        try
        {
            var wait = new WebDriverWait(browser, TimeSpan.FromSeconds(30));
            // A condition may read an element of the page that a submitted form is replacing: try again on the new page.
            wait.IgnoreExceptionTypes(typeof(StaleElementReferenceException));
            browser.Navigate().GoToUrl(new Uri(server.Address, $"/alerts/{id}"));
            wait.Until(d => d.FindElements(By.Id("login")).Count > 0);
            browser.FindElement(By.Id("name")).SendKeys("alice");
            browser.FindElement(By.Id("password")).SendKeys(GroundTestServer.AdvocatePassword);
            browser.FindElement(By.Id("submit")).Click();
            wait.Until(d => d.FindElements(By.Id("classifications")).Count > 0);
            Assert.EndsWith($"/alerts/{id}", browser.Url, StringComparison.Ordinal);
            wait.Until(d => (bool)((IJavaScriptExecutor)d).ExecuteScript("return ['panel','occlusion'].every(i => { const e = document.getElementById(i); return e.complete && e.naturalWidth > 0; })")!);
            long panelWidth = (long)browser.ExecuteScript("return document.getElementById('panel').naturalWidth")!;
            Assert.True(panelWidth > 56 * 8, $"panel {panelWidth} px wide");

            StoredAlert stored = server.Alerts.Get(id)!;
            string[] shown = [.. browser.FindElements(By.CssSelector("#classifications td.probability")).Select(e => e.Text)];
            Assert.Equal(stored.Classifications.Select(c => c.Probability.ToString("F4", System.Globalization.CultureInfo.InvariantCulture)), shown);
            string facts = browser.FindElement(By.TagName("body")).Text;
            Assert.Contains("sb26021102", facts, StringComparison.Ordinal);
            Assert.Contains("not-requested", facts, StringComparison.Ordinal);

            browser.FindElement(By.Id("verdict-false")).Click();
            browser.FindElement(By.Id("comment")).SendKeys("particle storm, looked at the mask");
            browser.FindElement(By.Id("record")).Click();
            wait.Until(d => d.FindElement(By.Id("history")).Text.Contains("particle storm", StringComparison.Ordinal));
            StoredVerdict verdict = Assert.Single(server.Verdicts.History(id));
            Assert.Equal(("alice", 0, "particle storm, looked at the mask"), (verdict.User, verdict.Verdict, verdict.Comment));
            string shot = Path.Combine(Path.GetTempPath(), "eclairs-alert-page.png");
            browser.GetScreenshot().SaveAsFile(shot);
            _out.WriteLine($"alert page screenshot: {shot}");

            // The list updates by itself (server-sent events) when a new alert arrives.
            // With 400 ms of latency the fetch on the stream's opening is still on its way when the new alert's event
            // starts the next: both read the same newest id, and only running them one at a time keeps rows single.
            var slow = new ChromiumNetworkConditions { Latency = TimeSpan.FromMilliseconds(400) };
            slow.SetBidirectionalThroughput(10_000_000);
            browser.NetworkConditions = slow;
            browser.Navigate().GoToUrl(new Uri(server.Address, "/"));
            wait.Until(d => d.FindElements(By.CssSelector($"tr[data-id='{id}']")).Count == 1);
            var (again, second) = await GroundTestServer.PostAsync(ingest, "/api/vhf", VhfIngestTests.Concat(VhfIngestTests.Sequence(8081, 809)), "application/octet-stream");
            Assert.Equal(HttpStatusCode.Created, again);
            long newId = second.GetProperty("alerts")[0].GetProperty("id").GetInt64();
            wait.Until(d => d.FindElements(By.CssSelector($"tr[data-id='{newId}']")).Count == 1);
            Assert.Equal(newId.ToString(System.Globalization.CultureInfo.InvariantCulture), browser.FindElements(By.CssSelector("#rows tr"))[0].GetAttribute("data-id"));
            // The refreshes on the stream's opening, on its event and on the page's timer never insert a row twice.
            await Task.Delay(500);
            Assert.Equal([newId, id], browser.FindElements(By.CssSelector("#rows tr")).Select(r => long.Parse(r.GetAttribute("data-id")!, System.Globalization.CultureInfo.InvariantCulture)));
            browser.GetScreenshot().SaveAsFile(Path.Combine(Path.GetTempPath(), "eclairs-alert-list.png"));
        }
        finally
        {
            browser.Quit();
            Directory.Delete(profile, recursive: true);
        }
    }
}
