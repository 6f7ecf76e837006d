using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Xunit;

namespace Eclairs.Ground.Tests;

/// <summary>A person's session over plain HTTP: the login form with its anti-forgery token, then the cookie.</summary>
internal static partial class Browserless
{
    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();

    public static string FormToken(string html) => WebUtility.HtmlDecode(TokenField().Match(html).Groups[1].Value);

    public static async Task<HttpClient> LoginAsync(GroundTestServer server, string name, string password)
    {
        HttpClient client = server.Client(null);
        string page = await client.GetStringAsync("/login");
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = FormToken(page), ["name"] = name, ["password"] = password, ["returnUrl"] = "/",
        });
        using HttpResponseMessage response = await client.PostAsync("/login", form);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }
}
