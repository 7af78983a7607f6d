using Plexus.Cni.Results;

namespace Plexus.Cni.Skel;

/// <summary>
/// A CNI plugin behind <see cref="PluginDispatcher"/>. Methods get a validated invocation whose
/// config version the plugin supports and that allows the verb; they report failure by throwing
/// <see cref="CniException"/>. The dispatcher prints ADD's result in the config's cniVersion.
/// </summary>
public interface ICniPlugin
{
    /// <summary>The versions this plugin speaks (VERSION answer and the config version check).</summary>
    IReadOnlyList<CniVersion> SupportedVersions => CniVersion.Supported;

    Task<CniResult> AddAsync(CniInvocation invocation, CancellationToken cancellationToken);

    Task DelAsync(CniInvocation invocation, CancellationToken cancellationToken);

    Task CheckAsync(CniInvocation invocation, CancellationToken cancellationToken);

    Task GcAsync(CniInvocation invocation, CancellationToken cancellationToken);

    Task StatusAsync(CniInvocation invocation, CancellationToken cancellationToken);
}
