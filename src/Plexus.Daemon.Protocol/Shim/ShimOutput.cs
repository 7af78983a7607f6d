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
    /// so a DEL error reaches the runtime exactly as the thin plugin would report it. An answer that is neither
    /// (an ADD without a result in a known cniVersion, an error without a non-zero code) is never taken for
    /// success: the runtime would run a pod without its networks, or read a "failure" with code 0. Nor is a 413 without
    /// error JSON "try again later": the same request would be refused again.
    /// </summary>
    public static ShimOutput FromReply(DaemonReply reply, string command, string socketPath, CniVersion cniVersion)
    {
        var answer = Scan(reply.Body);
        string problem;
        if (answer is not { } top)
        {
            problem = "not one JSON object";
        }
        else if (reply.StatusCode != 200)
        {
            if (top.Code is > 0)
            {
                return new ShimOutput(reply.Body, ErrorExit);
            }
            problem = "an error without a non-zero CNI code";
        }
        else if (command != "ADD")
        {
            // Only ADD has a result: the others succeed with nothing on stdout.
            return new ShimOutput([], 0);
        }
        else if (top.Result is { } range && Scan(reply.Body.AsSpan(range)) is { CniVersion: { } version }
            && CniVersion.TryParse(version, out var parsed) && parsed.IsSupported)
        {
            return new ShimOutput(reply.Body[range], 0);
        }
        else
        {
            problem = "no ADD result with a cniVersion Plexus supports";
        }
        var start = Encoding.UTF8.GetString(reply.Body.AsSpan(0, Math.Min(reply.Body.Length, 512)));
        if (reply.StatusCode == 413)
        {
            // Refused for its size without CNI error JSON (the HTTP layer's plain answer): as permanent as the shim's own check.
            return FromError(DaemonClient.TooLarge(socketPath, $"plexusd refused the request as too large (HTTP 413): {start.TrimEnd()}"), cniVersion);
        }
        return FromError(Unreachable(command, DaemonClient.Unavailable(socketPath, $"unreadable answer (HTTP {reply.StatusCode}): {problem}",
            $"is plexusd, of the same release as this shim, the program on this socket? Its log names the request; the answer was: {start}")),
            cniVersion);
    }

    /// <summary>
    /// No usable answer from the daemon (<paramref name="tryAgainLater"/>, code 11), as <paramref name="command"/> reports
    /// it: STATUS asks whether the plugin can serve ADDs, and CNI 1.1 gives that failure its own code, 50 ("the plugin is
    /// not available"); the other verbs keep "try again later".
    /// </summary>
    public static CniException Unreachable(string command, CniException tryAgainLater) =>
        command == "STATUS" && tryAgainLater.Code == CniErrorCode.TryAgainLater
            ? new CniException(CniErrorCode.PluginNotAvailable, tryAgainLater.Message, tryAgainLater.Details)
            : tryAgainLater;

    public static ShimOutput FromError(CniException error, CniVersion cniVersion) =>
        new(error.ToBytes(cniVersion), ErrorExit);

    private readonly record struct TopLevel(Range? Result, long? Code, string? CniVersion);

    /// <summary>
    /// One validating pass over an object's own keys (an empty body counts as <c>{}</c>): where its <c>Result</c>
    /// object is, its numeric <c>code</c> and its <c>cniVersion</c>; null when it is not exactly one JSON object.
    /// A reader instead of a JsonDocument: the document's pooled buffers made the shim initialise the shared array pool.
    /// </summary>
    private static TopLevel? Scan(ReadOnlySpan<byte> json)
    {
        if (json.IsEmpty)
        {
            return new TopLevel();
        }
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }
            var top = new TopLevel();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isResult = reader.ValueTextEquals("Result"u8);
                var isCode = reader.ValueTextEquals("code"u8);
                var isVersion = reader.ValueTextEquals("cniVersion"u8);
                reader.Read();
                var start = (int)reader.TokenStartIndex;
                var type = reader.TokenType;
                // As JsonElement.TryGetProperty: the last of duplicate keys wins.
                if (isCode)
                {
                    top = top with { Code = type == JsonTokenType.Number && reader.TryGetInt64(out var code) ? code : null };
                }
                else if (isVersion)
                {
                    top = top with { CniVersion = type == JsonTokenType.String ? reader.GetString() : null };
                }
                reader.Skip();
                if (isResult)
                {
                    top = top with { Result = type == JsonTokenType.StartObject ? start..(int)reader.BytesConsumed : null };
                }
            }
            // Nothing may follow the object, as a document parse would insist.
            return reader.Read() ? null : top;
        }
        // The reader accepts invalid UTF-8 inside a string; GetString then throws InvalidOperationException.
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return null;
        }
    }
}
