using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Plexus.Cni;
using Plexus.Cni.Json;

namespace Plexus.Daemon.Protocol;

/// <summary>
/// The few keys read from the CNI config before it is parsed in full (shim: where and how long to wait;
/// daemon: the version of its own early errors). Everything else, and every other validation, is the
/// daemon's job: it answers with the same error the thin plugin would.
/// </summary>
internal sealed record StdinConfig(string SocketPath, CniVersion CniVersion, string NetworkName, DaemonTimeouts Timeouts)
{
    private const string What = "network config";
    private const string Remedy = "fix the plexus-shim entry of the node's CNI config (plexus config generate writes a valid one)";

    /// <summary>
    /// Why the shim cannot use this config to reach the daemon: not a JSON object, or a daemon key it cannot use.
    /// The shim answers this itself rather than dial a default socket the operator did not configure, where a
    /// missing daemon would read as "try again later" for ever. Null when the config is usable.
    /// </summary>
    public CniException? Unusable { get; init; }

    private static StdinConfig Defaults { get; } =
        new(DaemonEndpoints.SocketPath(null), CniVersion.Latest, "", DaemonTimeouts.Default);

    public static StdinConfig Read(ReadOnlySpan<byte> stdin)
    {
        JsonObject root;
        try
        {
            root = CniJson.ParseObject(stdin, What);
        }
        // Refused as a whole (a repeated key, say): its errors are still written in the version the runtime read from it.
        catch (CniException e)
        {
            return Defaults with { CniVersion = CniVersionField.SpokenOrLatest(CniVersionField.Read(stdin)), Unusable = e };
        }
        // An unsupported version still needs an answer: the shim's own errors then say the latest.
        var config = Defaults with
        {
            CniVersion = CniVersionField.SpokenOrLatest(CniVersionField.Of(root)),
            NetworkName = JsonScalars.String(root["name"]) ?? "",
        };
        try
        {
            var fields = new JsonFields(root, "$", What, Remedy);
            // "socketDir" is the Multus shim's key; "daemonSocketDir" the meta-plugin config's.
            var socketDir = fields.String("daemonSocketDir") ?? fields.String("socketDir");
            return config with
            {
                SocketPath = DaemonEndpoints.SocketPath(socketDir, SocketName(fields.String("daemonSocketName"))),
                Timeouts = new DaemonTimeouts(
                    Seconds(root, "daemonConnectTimeoutSeconds") ?? config.Timeouts.Connect,
                    Seconds(root, "daemonTimeoutSeconds") ?? config.Timeouts.Overall),
            };
        }
        catch (CniException e)
        {
            return config with { Unusable = e };
        }
    }

    private static string? SocketName(string? name) =>
        name is null || DaemonEndpoints.IsPlainSocketName(name)
            ? name
            : throw CniException.InvalidConfig(
                $"\"daemonSocketName\" must be a plain file name such as multus.sock (no '/', not ending in .lock), not \"{name}\"",
                Remedy);

    private static TimeSpan? Seconds(JsonObject root, string key)
    {
        if (root[key] is not { } node)
        {
            return null;
        }
        return node is JsonValue && node.GetValueKind() == JsonValueKind.Number
            && double.TryParse(node.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(Math.Min(seconds, MaxSeconds))
            : throw CniException.InvalidConfig($"\"{key}\" must be a positive number of seconds, not {node.ToJsonString()}", Remedy);
    }

    /// <summary>A day: far above any sane timeout, and below what TimeSpan and timers can hold (1e20 would throw).</summary>
    private const double MaxSeconds = 24 * 60 * 60;
}
