using Plexus.Cni;
using Plexus.Cni.Results;
using Plexus.Cni.Skel;
using Plexus.Core.Config;

namespace Plexus.Core.Service;

/// <summary>The thin-mode meta-plugin: every verb builds one session from the invocation and runs its command.</summary>
public sealed class MetaPlugin(MetaPluginHost host) : ICniPlugin
{
    public Task<CniResult> AddAsync(CniInvocation invocation, CancellationToken cancellationToken) =>
        RunAsync(invocation, AddCommand.RunAsync, cancellationToken);

    public Task DelAsync(CniInvocation invocation, CancellationToken cancellationToken) =>
        RunAsync(invocation, DelCommand.RunAsync, cancellationToken);

    public Task CheckAsync(CniInvocation invocation, CancellationToken cancellationToken) =>
        RunAsync(invocation, MaintenanceCommands.CheckAsync, cancellationToken);

    public Task GcAsync(CniInvocation invocation, CancellationToken cancellationToken) =>
        RunAsync(invocation, MaintenanceCommands.GcAsync, cancellationToken);

    public Task StatusAsync(CniInvocation invocation, CancellationToken cancellationToken) =>
        RunAsync(invocation, MaintenanceCommands.StatusAsync, cancellationToken);

    private async Task<T> RunAsync<T>(CniInvocation invocation, Func<Session, CancellationToken, Task<T>> command, CancellationToken cancellationToken)
    {
        Session session;
        try
        {
            session = new Session(invocation, host);
        }
        catch (CniException e)
        {
            // A refused config: its logging keys may still say where the error goes.
            if (MetaConfigParser.ReadLogging(invocation.Stdin.Span) is { } logging)
            {
                new VerbLog(logging, host).Write(LogLevel.Error, FailureLine.Describe(invocation, e));
            }
            throw;
        }
        try
        {
            return await command(session, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            session.Log(LogLevel.Error, FailureLine.Describe(invocation, e));
            throw;
        }
    }

    private Task RunAsync(CniInvocation invocation, Func<Session, CancellationToken, Task> command, CancellationToken cancellationToken) =>
        RunAsync(invocation, async (session, ct) =>
        {
            await command(session, ct).ConfigureAwait(false);
            return true;
        }, cancellationToken);
}
