using Plexus.Cni.Results;
using Plexus.Cni.Skel;

namespace Plexus.Core.Service;

/// <summary>The thin-mode meta-plugin: every verb builds one session from the invocation and runs its command.</summary>
public sealed class MetaPlugin(MetaPluginHost host) : ICniPlugin
{
    public Task<CniResult> AddAsync(CniInvocation invocation, CancellationToken cancellationToken) =>
        AddCommand.RunAsync(new Session(invocation, host), cancellationToken);

    public Task DelAsync(CniInvocation invocation, CancellationToken cancellationToken) =>
        DelCommand.RunAsync(new Session(invocation, host), cancellationToken);

    public Task CheckAsync(CniInvocation invocation, CancellationToken cancellationToken) =>
        MaintenanceCommands.CheckAsync(new Session(invocation, host), cancellationToken);

    public Task GcAsync(CniInvocation invocation, CancellationToken cancellationToken) =>
        MaintenanceCommands.GcAsync(new Session(invocation, host), cancellationToken);

    public Task StatusAsync(CniInvocation invocation, CancellationToken cancellationToken) =>
        MaintenanceCommands.StatusAsync(new Session(invocation, host), cancellationToken);
}
