using System.Text.Json.Nodes;
using Plexus.Cni;
using Plexus.Cni.Results;
using Plexus.Cni.Skel;
using Plexus.Core.Config;
using Plexus.Core.Selection;

namespace Plexus.Core.Service;

/// <summary>Where a hot-plug finds its delegates and keeps their result caches, and how it reaches the API server.</summary>
public sealed record HotPlugSettings
{
    public const string DefaultBinDir = MetaConfig.DefaultBinDir;

    public const string DefaultCniDir = MetaConfig.DefaultCniDir;

    public string BinDir { get; init; } = DefaultBinDir;

    public string CniDir { get; init; } = DefaultCniDir;

    /// <summary>Empty: the in-cluster service account.</summary>
    public string? Kubeconfig { get; init; }
}

/// <summary>What the caller asks of the hot-plugged interface, as a network selection element would (Multus's <c>interfaceAttributes</c>).</summary>
public sealed record HotPlugAttributes
{
    public IReadOnlyList<string>? Ips { get; init; }

    public string? Mac { get; init; }

    /// <summary>Merged into every plugin's <c>args.cni</c>.</summary>
    public JsonObject? CniArgs { get; init; }
}

/// <summary>
/// Multus's thick-daemon <c>/delegate</c>: ADD, DEL or CHECK of ONE network on <c>CNI_IFNAME</c> of a running pod, with
/// the delegates of <see cref="HotPlugSettings.BinDir"/> and the result caches of <see cref="HotPlugSettings.CniDir"/>.
/// The pod's network-status is not written: the caller (multus-dynamic-networks-controller) owns it, as upstream.
/// </summary>
public sealed class HotPlug(MetaPluginHost host, HotPlugSettings settings)
{
    private readonly MetaConfig config = new()
    {
        BinDir = settings.BinDir,
        CniDir = settings.CniDir,
        Kubeconfig = settings.Kubeconfig,
        // No logLevel: a hot-plug logs at the host's default, plexusd's own level.
    };

    /// <returns>ADD: the result in cniVersion 1.0.0 (what Multus answers, whatever the network's version); DEL, CHECK: null.</returns>
    public async Task<CniResult?> RunAsync(
        IReadOnlyDictionary<string, string> env, ReadOnlyMemory<byte> networkConfig, HotPlugAttributes? attributes, CancellationToken cancellationToken)
    {
        var request = HotPlugRequest.Parse(env, networkConfig);
        var session = new Session(request.Invocation, host, config);
        switch (request.Invocation.Command)
        {
            case CniCommand.Add:
                return await HotPlugCommand.AddAsync(session, request, SelectionOf(attributes), cancellationToken).ConfigureAwait(false);
            case CniCommand.Del:
                await HotPlugCommand.DelAsync(session, request, cancellationToken).ConfigureAwait(false);
                return null;
            default:
                await HotPlugCommand.CheckAsync(session, request, cancellationToken).ConfigureAwait(false);
                return null;
        }
    }

    /// <summary>The attributes as the selection element the planner applies (null: none asked for).</summary>
    internal static NetworkSelection? SelectionOf(HotPlugAttributes? attributes) =>
        attributes is null ? null : new NetworkSelection
        {
            Ips = attributes.Ips is { Count: > 0 } ips ? [.. ips] : null,
            Mac = string.IsNullOrEmpty(attributes.Mac) ? null : attributes.Mac,
            CniArgs = attributes.CniArgs,
        };
}
