using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Plexus.KubeSim.Api;

/// <summary>Writes API answers: JSON bodies, Status errors, and lists assembled from stored bytes.</summary>
internal static class HttpIo
{
    public const string Json = "application/json";
    private static readonly byte[] Comma = ","u8.ToArray();

    public static Task WriteAsync(HttpContext http, int status, JsonNode body) =>
        WriteAsync(http, status, JsonSerializer.SerializeToUtf8Bytes(body));

    public static Task WriteAsync(HttpContext http, int status, byte[] body)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = Json;
        http.Response.ContentLength = body.Length;
        return http.Response.Body.WriteAsync(body, http.RequestAborted).AsTask();
    }

    public static Task WriteStatusAsync(HttpContext http, ApiException error)
    {
        if (error.Code == 429) http.Response.Headers.RetryAfter = "1";
        return WriteAsync(http, error.Code, error.ToStatus());
    }

    public static Task WriteTextAsync(HttpContext http, int status, string text)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "text/plain; charset=utf-8";
        return http.Response.WriteAsync(text, http.RequestAborted);
    }

    /// <summary>A list: the envelope around already-serialised items.</summary>
    public static async Task WriteListAsync(HttpContext http, string apiVersion, string kind, long revision, string? continueToken,
        long? remaining, IEnumerable<byte[]> items)
    {
        var metadata = new JsonObject { ["resourceVersion"] = revision.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        if (continueToken is not null) metadata["continue"] = continueToken;
        if (remaining is > 0) metadata["remainingItemCount"] = remaining;
        var head = Encoding.UTF8.GetBytes(
            $"{{\"kind\":\"{kind}\",\"apiVersion\":\"{apiVersion}\",\"metadata\":{metadata.ToJsonString()},\"items\":[");
        http.Response.StatusCode = 200;
        http.Response.ContentType = Json;
        var body = http.Response.BodyWriter;
        body.Write(head);
        var first = true;
        foreach (var item in items)
        {
            if (!first) body.Write(Comma);
            body.Write(item);
            first = false;
        }
        body.Write("]}"u8);
        await body.FlushAsync(http.RequestAborted);
    }
}
