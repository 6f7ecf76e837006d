using System;
using System.Linq;
using System.Net;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Routing;
using Xunit;

namespace Eclairs.Ground.Tests;

/// <summary>The OpenAPI document (Microsoft.AspNetCore.OpenApi) is valid JSON, OpenAPI 3, and describes every API route.</summary>
public sealed class OpenApiTests
{
    [Fact]
    public async Task The_document_describes_every_api_route_and_method()
    {
        await using GroundTestServer server = await Shared.Sqlite();
        using var anonymous = server.Client(null);
        string text = await anonymous.GetStringAsync("/openapi/v1.json");
        using JsonDocument doc = JsonDocument.Parse(text);
        JsonElement root = doc.RootElement;
        Assert.StartsWith("3.", root.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        JsonElement paths = root.GetProperty("paths");
        string[] expected =
        [
            "post /api/vhf", "post /api/alerts", "post /api/notices", "get /api/alerts", "get /api/alerts/{id}", "post /api/alerts/{id}/verdict",
            "get /api/verdicts.npz", "get /api/status", "get /api/events",
        ];
        foreach (string route in expected)
        {
            string[] parts = route.Split(' ');
            Assert.True(paths.TryGetProperty(parts[1], out JsonElement path), $"{parts[1]} missing from the OpenAPI document");
            Assert.True(path.TryGetProperty(parts[0], out JsonElement op), $"{route} missing");
            Assert.True(op.GetProperty("responses").EnumerateObject().Any(), $"{route} has no responses");
        }

        Assert.Equal(expected.Length, paths.EnumerateObject().Sum(p => p.Value.EnumerateObject().Count()));
        JsonElement ingest = paths.GetProperty("/api/alerts").GetProperty("post");
        JsonElement content = ingest.GetProperty("requestBody").GetProperty("content");
        Assert.True(content.TryGetProperty("application/json", out _));
        Assert.True(content.TryGetProperty("application/fits", out _));
        foreach (string status in new[] { "201", "200", "400", "401", "403", "413", "415" })
        {
            Assert.True(ingest.GetProperty("responses").TryGetProperty(status, out _), $"POST /api/alerts documents no {status}");
        }

        Assert.True(root.GetProperty("components").GetProperty("securitySchemes").TryGetProperty("bearer", out _));
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/healthz")).StatusCode);
    }
}
