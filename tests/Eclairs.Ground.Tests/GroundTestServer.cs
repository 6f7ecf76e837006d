using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Eclairs.Ground.Classifiers;
using Eclairs.Ground.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace Eclairs.Ground.Tests;

/// <summary>
/// The real service on a real Kestrel at 127.0.0.1 on a free port, over a fresh database (SQLite file or PostgreSQL),
/// with the shipped models, an advocate, a reader and a token of each role.
/// </summary>
public sealed class GroundTestServer : IAsyncDisposable
{
    public const string AdvocatePassword = "advocate-password-1";
    public const string ReaderPassword = "reader-password-1";

    private static readonly Lazy<ClassifierBank> SharedBank = new(() => ClassifierBank.LoadFolder(TestPaths.Weights));

    private readonly WebApplication _app;

    private GroundTestServer(WebApplication app, Database db, GroundOptions options, Uri address)
    {
        _app = app;
        Database = db;
        Options = options;
        Address = address;
        Alerts = new AlertStore(db);
        Verdicts = new VerdictStore(db);
    }

    public static ClassifierBank Bank => SharedBank.Value;

    public Database Database { get; }

    public GroundOptions Options { get; }

    public Uri Address { get; }

    public AlertStore Alerts { get; }

    public VerdictStore Verdicts { get; }

    public string IngestToken { get; private set; } = "";

    public string ReaderToken { get; private set; } = "";

    public string AdvocateToken { get; private set; } = "";

    public static async Task<GroundTestServer> StartAsync(Backend backend, Func<GroundOptions, GroundOptions>? configure = null)
    {
        string dir = TestPaths.NewTempDir("ground-test");
        Database db = TestDatabases.Open(backend, dir, out string? postgres);
        var options = new GroundOptions { DataDir = dir, Postgres = postgres, ModelsDir = TestPaths.Weights, Urls = "http://127.0.0.1:0" };
        options = configure?.Invoke(options) ?? options;
        WebApplication app = GroundServer.Build(options, db, Bank, LogLevel.Warning);
        await app.StartAsync().ConfigureAwait(false);
        var server = new GroundTestServer(app, db, options, GroundServer.Address(app));
        var accounts = new AccountStore(db);
        accounts.AddUser("alice", "advocate", AdvocatePassword);
        accounts.AddUser("rita", "reader", ReaderPassword);
        server.IngestToken = accounts.AddToken("feeder", "ingest");
        server.ReaderToken = accounts.AddToken("script", "reader");
        server.AdvocateToken = accounts.AddToken("robot-advocate", "advocate");
        return server;
    }

    public HttpClient Client(string? token)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() })
        {
            BaseAddress = Address,
            Timeout = TimeSpan.FromSeconds(60),
        };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    public static async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(HttpClient client, string path, byte[] body, string contentType)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        using HttpResponseMessage response = await client.PostAsync(path, content).ConfigureAwait(false);
        return (response.StatusCode, await ReadJson(response).ConfigureAwait(false));
    }

    public static Task<(HttpStatusCode Status, JsonElement Body)> PostJsonAsync(HttpClient client, string path, object body) =>
        PostAsync(client, path, Encoding.UTF8.GetBytes(JsonSerializer.Serialize(body)), "application/json");

    public static async Task<(HttpStatusCode Status, JsonElement Body)> GetJsonAsync(HttpClient client, string path)
    {
        using HttpResponseMessage response = await client.GetAsync(path).ConfigureAwait(false);
        return (response.StatusCode, await ReadJson(response).ConfigureAwait(false));
    }

    private static async Task<JsonElement> ReadJson(HttpResponseMessage response)
    {
        string text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        if (text.Length == 0)
        {
            return default;
        }

        try
        {
            using JsonDocument doc = JsonDocument.Parse(text);
            return doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            return JsonDocument.Parse(JsonSerializer.Serialize(text)).RootElement.Clone();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        Database.Dispose();
        try
        {
            Directory.Delete(Options.DataDir, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a closing connection; the folder is in the temporary directory.
        }
    }
}
