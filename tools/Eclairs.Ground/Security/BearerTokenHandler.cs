using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Threading.Tasks;
using Eclairs.Ground.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Eclairs.Ground.Security;

/// <summary>Authenticates <c>Authorization: Bearer ecl_...</c> against the hashed tokens of the database.</summary>
internal sealed class BearerTokenHandler : AuthenticationHandler<AuthenticationSchemeOptions>
{
    public const string SchemeName = "Bearer";

    private readonly AccountStore _accounts;

    public BearerTokenHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, AccountStore accounts)
        : base(options, logger, encoder) => _accounts = accounts;

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", System.StringComparison.Ordinal))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        (string Name, string Role)? token = _accounts.FindToken(header["Bearer ".Length..].Trim());
        if (token is null)
        {
            return Task.FromResult(AuthenticateResult.Fail("unknown API token"));
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "token:" + token.Value.Name), new Claim(ClaimTypes.Role, token.Value.Role)], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = 401;
        Response.Headers.WWWAuthenticate = "Bearer";
        return Task.CompletedTask;
    }
}
