using System.Text;
using System.Text.Json;
using Plexus.Cni;

namespace Plexus.Daemon.Protocol.Shim;

/// <summary>What the shim prints on stdout and its exit status.</summary>
internal sealed record ShimOutput(byte[] Stdout, int ExitCode)
{
    /// <summary>The exit status of every CNI error, as the reference skeleton uses.</summary>
    public const int ErrorExit = 1;

    /// <summary>
    /// Maps the daemon's answer to the runtime's view: a result or error JSON is passed on byte for byte,
    /// so a DEL error reaches the runtime exactly as the thin plugin would report it.
    /// </summary>
    public static ShimOutput FromReply(DaemonReply reply, CniVersion cniVersion)
    {
        if (TopLevel(reply.Body) is var (isObject, result, hasCode) && isObject)
        {
            if (reply.StatusCode == 200)
            {
                return new ShimOutput(result is var (start, end) ? reply.Body[start..end] : [], 0);
            }
            if (hasCode)
            {
                return new ShimOutput(reply.Body, ErrorExit);
            }
        }
        return FromError(new CniException(CniErrorCode.TryAgainLater,
            $"plexus daemon answered HTTP {reply.StatusCode} without a CNI result or error",
            Encoding.UTF8.GetString(reply.Body.AsSpan(0, Math.Min(reply.Body.Length, 512)))), cniVersion);
    }

    /// <summary>
    /// One validating pass over the answer (an empty body counts as <c>{}</c>): whether it is an object, where its
    /// <c>Result</c> object is, whether it has a numeric <c>code</c>; null when it is not JSON. A reader instead of
    /// a JsonDocument: the document's pooled buffers made the shim initialise the shared array pool.
    /// </summary>
    private static (bool IsObject, (int Start, int End)? Result, bool HasCode)? TopLevel(byte[] body)
    {
        if (body.Length == 0)
        {
            return (true, null, false);
        }
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                return reader.Read() ? null : (false, null, false);
            }
            (int, int)? result = null;
            var hasCode = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isResult = reader.ValueTextEquals("Result"u8);
                var isCode = reader.ValueTextEquals("code"u8);
                reader.Read();
                var start = (int)reader.TokenStartIndex;
                var type = reader.TokenType;
                reader.Skip();
                if (isResult)
                {
                    // As JsonElement.TryGetProperty: the last of duplicate keys wins.
                    result = type == JsonTokenType.StartObject ? (start, (int)reader.BytesConsumed) : null;
                }
                hasCode |= isCode && type == JsonTokenType.Number;
            }
            // Nothing may follow the object, as a document parse would insist.
            return reader.Read() ? null : (true, result, hasCode);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static ShimOutput FromError(CniException error, CniVersion cniVersion) =>
        new(error.ToBytes(cniVersion), ErrorExit);
}
