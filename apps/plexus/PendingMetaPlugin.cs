using Plexus.Cni;
using Plexus.Cni.Results;
using Plexus.Cni.Skel;

namespace Plexus.App;

/// <summary>
/// Stands in for the meta-plugin until it lands: every verb but VERSION fails with a clear
/// plugin-specific CNI error instead of pretending to attach networks.
/// </summary>
internal sealed class PendingMetaPlugin : ICniPlugin
{
    public Task<CniResult> AddAsync(CniInvocation invocation, CancellationToken cancellationToken) =>
        Task.FromException<CniResult>(NotYet(invocation));

    public Task DelAsync(CniInvocation invocation, CancellationToken cancellationToken) => Task.FromException(NotYet(invocation));

    public Task CheckAsync(CniInvocation invocation, CancellationToken cancellationToken) => Task.FromException(NotYet(invocation));

    public Task GcAsync(CniInvocation invocation, CancellationToken cancellationToken) => Task.FromException(NotYet(invocation));

    public Task StatusAsync(CniInvocation invocation, CancellationToken cancellationToken) => Task.FromException(NotYet(invocation));

    private static CniException NotYet(CniInvocation invocation) => new(
        CniErrorCode.PluginSpecific,
        $"plexus: {invocation.Command.ToString().ToUpperInvariant()} is not implemented yet in this build",
        $"network \"{invocation.Config.Name}\": the meta-plugin has not landed; only VERSION is answered");
}
