using System.Globalization;
using System.Text;

namespace Plexus.Http;

/// <summary>An HTTP/1.1 request as the bytes sent in one write (so Nagle never splits head and body).</summary>
public static class Http11Request
{
    /// <param name="target">The request target: absolute path and query.</param>
    /// <param name="host">The Host header's value (host, and port unless the scheme's default).</param>
    /// <param name="body">Sent with a Content-Length; null sends none for GET and HEAD, and 0 otherwise.</param>
    /// <exception cref="InvalidDataException">A header name or value would break the request framing.</exception>
    public static byte[] Format(string method, string target, string host, IEnumerable<KeyValuePair<string, string>> headers, byte[]? body)
    {
        var head = new StringBuilder(256).Append(method).Append(' ').Append(target).Append(" HTTP/1.1\r\n");
        AppendHeader(head, "Host", host);
        foreach (var (name, value) in headers)
        {
            if (!name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                AppendHeader(head, name, value);
            }
        }
        if (body is not null || method is not ("GET" or "HEAD"))
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
            throw new InvalidDataException($"the request header {name.ReplaceLineEndings(" ")} has a line break (or a colon in its name), which would break the request framing");
        }
        head.Append(name).Append(": ").Append(value).Append("\r\n");
    }
}
