namespace Plexus.Http;

/// <summary>One whole HTTP/1.1 response, and whether its connection may carry another request.</summary>
public sealed record Http11Response
{
    public required int StatusCode { get; init; }
    public required string ReasonPhrase { get; init; }

    /// <summary>1 for HTTP/1.1, 0 for HTTP/1.0.</summary>
    public required int MinorVersion { get; init; }

    /// <summary>Header fields in the order received (names as sent; match them ignoring case).</summary>
    public required IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; }

    public required byte[] Body { get; init; }
    public required bool KeepAlive { get; init; }
}
