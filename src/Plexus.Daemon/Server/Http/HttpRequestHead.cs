using System.Globalization;
using System.Text;
using Plexus.Cni;

namespace Plexus.Daemon.Server.Http;

/// <summary>A request the connection answers itself, with <see cref="Response"/>, and then closes.</summary>
internal sealed class HttpRequestRejected(DaemonResponse response, string message) : Exception(message)
{
    /// <summary>Answered with <paramref name="message"/> as plain text.</summary>
    public HttpRequestRejected(int status, string message)
        : this(DaemonResponse.Text(status, message), message)
    {
    }

    public DaemonResponse Response { get; } = response;

    public int Status => Response.Status;

    /// <summary>Answered with the CNI error JSON, which a shim prints as its result, before the request was even parsed.</summary>
    public static HttpRequestRejected Cni(int status, CniException error) =>
        new(new DaemonResponse(status, "application/json", error.ToBytes(CniVersion.Latest)), error.Message);
}

/// <summary>
/// An HTTP/1.1 request line and headers (RFC 9112), only what the daemon acts on: where to route it, how its
/// body is framed, whether the connection stays open. Anything ambiguous is refused rather than guessed.
/// </summary>
internal sealed record HttpRequestHead(string Method, string Path, long ContentLength, bool Chunked, bool KeepAlive, bool ExpectContinue)
{
    public bool HasBody => Chunked || ContentLength > 0;

    /// <exception cref="HttpRequestRejected">A malformed or unsupported head.</exception>
    public static HttpRequestHead Parse(ReadOnlySpan<byte> head)
    {
        var lines = Encoding.Latin1.GetString(head).Split("\r\n");
        var requestLine = lines[0].Split(' ');
        if (requestLine.Length != 3 || requestLine[0].Length == 0 || requestLine[1].Length == 0)
        {
            throw new HttpRequestRejected(400, "bad request line");
        }
        var (method, target, version) = (requestLine[0], requestLine[1], requestLine[2]);
        if (version is not ("HTTP/1.1" or "HTTP/1.0"))
        {
            throw new HttpRequestRejected(505, "HTTP version not supported");
        }
        long? length = null;
        var chunked = false;
        var close = version == "HTTP/1.0";
        var expectContinue = false;
        foreach (var line in lines.AsSpan(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || line.AsSpan(0, colon).ContainsAny(" \t"))
            {
                throw new HttpRequestRejected(400, "bad header line");
            }
            var name = line[..colon];
            var value = line[(colon + 1)..].Trim(' ', '\t');
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) || (length is { } seen && seen != parsed))
                {
                    throw new HttpRequestRejected(400, "bad Content-Length");
                }
                length = parsed;
            }
            else if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                // Only plain chunked: any other coding could not be decoded, and chunked must be the last one.
                chunked = value.Equals("chunked", StringComparison.OrdinalIgnoreCase)
                    ? true
                    : throw new HttpRequestRejected(501, "transfer coding not supported");
            }
            else if (name.Equals("Connection", StringComparison.OrdinalIgnoreCase))
            {
                close |= value.Split(',').Any(token => token.Trim().Equals("close", StringComparison.OrdinalIgnoreCase));
            }
            else if (name.Equals("Expect", StringComparison.OrdinalIgnoreCase))
            {
                expectContinue = value.Equals("100-continue", StringComparison.OrdinalIgnoreCase);
            }
        }
        if (chunked && length is not null)
        {
            // Both framings at once is how requests are smuggled past proxies: RFC 9112 §6.3 allows refusing it.
            throw new HttpRequestRejected(400, "both Content-Length and Transfer-Encoding");
        }
        return new HttpRequestHead(method, PathOf(target), length ?? 0, chunked, !close, expectContinue);
    }

    /// <summary>The path of an origin-form ("/cni?x") or absolute-form ("http://host/cni") target, without the query.</summary>
    private static string PathOf(string target)
    {
        if (!target.StartsWith('/'))
        {
            target = Uri.TryCreate(target, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https"
                ? absolute.PathAndQuery
                : throw new HttpRequestRejected(400, "bad request target");
        }
        var query = target.IndexOf('?', StringComparison.Ordinal);
        return query < 0 ? target : target[..query];
    }
}
