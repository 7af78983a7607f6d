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
        try
        {
            using var doc = JsonDocument.Parse(reply.Body.Length == 0 ? "{}"u8.ToArray() : reply.Body);
            var root = doc.RootElement;
            if (reply.StatusCode == 200 && root.ValueKind == JsonValueKind.Object)
            {
                return root.TryGetProperty("Result", out var result) && result.ValueKind == JsonValueKind.Object
                    ? new ShimOutput(Encoding.UTF8.GetBytes(result.GetRawText()), 0)
                    : new ShimOutput([], 0);
            }
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("code", out var code)
                && code.ValueKind == JsonValueKind.Number)
            {
                return new ShimOutput(reply.Body, ErrorExit);
            }
        }
        catch (JsonException)
        {
        }
        return FromError(new CniException(CniErrorCode.TryAgainLater,
            $"plexus daemon answered HTTP {reply.StatusCode} without a CNI result or error",
            Encoding.UTF8.GetString(reply.Body.AsSpan(0, Math.Min(reply.Body.Length, 512)))), cniVersion);
    }

    public static ShimOutput FromError(CniException error, CniVersion cniVersion) =>
        new(error.ToBytes(cniVersion), ErrorExit);
}
