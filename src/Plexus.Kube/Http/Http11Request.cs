using System.Globalization;
using System.Text;

namespace Plexus.Kube.Http;

/// <summary>An HTTP/1.1 request as the bytes sent in one write (so Nagle never splits head and body).</summary>
internal static class Http11Request
{
    /// <exception cref="HttpRequestException">A header name or value would break the request framing.</exception>
    public static byte[] Format(HttpRequestMessage request, byte[]? body)
    {
        var uri = request.RequestUri ?? throw new HttpRequestException("the request has no URI");
        var head = new StringBuilder(256)
            .Append(request.Method.Method).Append(' ').Append(uri.PathAndQuery).Append(" HTTP/1.1\r\n")
            .Append("Host: ").Append(uri.IsDefaultPort ? uri.IdnHost : $"{uri.IdnHost}:{uri.Port.ToString(CultureInfo.InvariantCulture)}").Append("\r\n");
        foreach (var header in request.Headers)
        {
            AppendHeader(head, header.Key, string.Join(", ", header.Value));
        }
        if (request.Content is { } content)
        {
            foreach (var header in content.Headers)
            {
                if (!header.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                {
                    AppendHeader(head, header.Key, string.Join(", ", header.Value));
                }
            }
        }
        if (body is not null || request.Method != HttpMethod.Get && request.Method != HttpMethod.Head)
        {
            AppendHeader(head, "Content-Length", (body?.Length ?? 0).ToString(CultureInfo.InvariantCulture));
        }
        head.Append("\r\n");
        var headBytes = Encoding.ASCII.GetBytes(head.ToString());
        return body is null ? headBytes : [.. headBytes, .. body];
    }

    private static void AppendHeader(StringBuilder head, string name, string value)
    {
        if (name.AsSpan().IndexOfAny('\r', '\n', ':') >= 0 || value.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            throw new HttpRequestException($"the request header {name.ReplaceLineEndings(" ")} contains a line break");
        }
        head.Append(name).Append(": ").Append(value).Append("\r\n");
    }
}
