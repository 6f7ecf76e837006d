using System.IO;
using System.Threading.Tasks;
using Eclairs.Ground.Ingest;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Eclairs.Ground.Web;

/// <summary>Reads a request body whole, refusing (413) one larger than the endpoint's limit before or while reading it.</summary>
internal static class RequestBody
{
    public static async Task<byte[]> ReadAsync(HttpRequest request, int limit)
    {
        if (request.ContentLength > limit)
        {
            throw new IngestRefusedException($"the body announces {request.ContentLength} bytes, more than the {limit} this endpoint accepts", 413);
        }

        IHttpMaxRequestBodySizeFeature? feature = request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (feature is { IsReadOnly: false })
        {
            feature.MaxRequestBodySize = limit;
        }

        using var buffer = new MemoryStream();
        byte[] chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                throw new IngestRefusedException($"the body is larger than the {limit} bytes this endpoint accepts", 413);
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    /// <summary>The media type without parameters, lower case ("application/json").</summary>
    public static string MediaType(HttpRequest request) =>
        (request.ContentType ?? "").Split(';')[0].Trim().ToLowerInvariant();
}
