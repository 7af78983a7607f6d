using System.Text.Json;
using Plexus.Cni;
using Plexus.Cni.Json;

namespace Plexus.Daemon.Protocol;

/// <summary>
/// The few keys read from the CNI config before it is parsed in full (shim: where and how long to wait;
/// daemon: the version of its own early errors). Everything else, and every
/// validation, is the daemon's job: a config the shim cannot read still goes to the daemon, which
/// answers with the same error the thin plugin would.
/// </summary>
internal sealed record StdinConfig(string SocketPath, CniVersion CniVersion, string NetworkName, DaemonTimeouts Timeouts)
{
    public static StdinConfig Read(ReadOnlySpan<byte> stdin)
    {
        string? socketDir = null;
        string? socketName = null;
        CniVersion? version = null;
        string? name = null;
        var timeouts = DaemonTimeouts.Default;
        try
        {
            using var doc = JsonDocument.Parse(CniJson.WithValidUtf8(stdin).ToArray());
            if (doc.RootElement.ValueKind == JsonValueKind.Object)
            {
                var root = doc.RootElement;
                version = CniVersionField.Of(root);
                name = String(root, "name");
                // "socketDir" is the Multus shim's key; "daemonSocketDir" the meta-plugin config's.
                socketDir = String(root, "daemonSocketDir") ?? String(root, "socketDir");
                socketName = String(root, "daemonSocketName");
                timeouts = new DaemonTimeouts(
                    Seconds(root, "daemonConnectTimeoutSeconds") ?? timeouts.Connect,
                    Seconds(root, "daemonTimeoutSeconds") ?? timeouts.Overall);
            }
        }
        catch (JsonException)
        {
            // Left to the daemon, which reports the decode error exactly as thin mode does.
        }
        // An unreadable or unsupported version still needs an answer: the shim's own errors then say the latest.
        return new StdinConfig(DaemonEndpoints.SocketPath(socketDir, socketName), CniVersionField.SpokenOrLatest(version), name ?? "", timeouts);
    }

    private static string? String(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static TimeSpan? Seconds(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number
            && value.TryGetDouble(out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(Math.Min(seconds, MaxSeconds))
            : null;

    /// <summary>A day: far above any sane timeout, and below what TimeSpan and timers can hold (1e20 would throw).</summary>
    private const double MaxSeconds = 24 * 60 * 60;
}
