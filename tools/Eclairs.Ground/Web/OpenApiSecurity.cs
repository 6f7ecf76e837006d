using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Eclairs.Ground.Web;

/// <summary>Names the two ways in, in the OpenAPI document: a Bearer API token, or the session cookie of the pages.</summary>
internal sealed class OpenApiSecurity : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info.Title = "Eclairs.Ground: the Burst Advocates' service";
        document.Info.Description = "Alert ingest (VHF packets, FITS, JSON), GCN notices, classifications, verdicts. Roles: ingest, reader, advocate (docs/ground.md).";
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new System.Collections.Generic.Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes["bearer"] = new OpenApiSecurityScheme { Type = SecuritySchemeType.Http, Scheme = "bearer", Description = "API token from `eclairs tokens add`" };
        document.Components.SecuritySchemes["cookie"] = new OpenApiSecurityScheme { Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Cookie, Name = "eclairs.session", Description = "session of a person logged in at /login" };
        return Task.CompletedTask;
    }
}
