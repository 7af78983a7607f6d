using System.Text.Json.Nodes;
using Plexus.Cni.Results;
using Plexus.Cni.Skel;

namespace Plexus.Cni.Tests.Skel;

/// <summary>Records the calls the dispatcher makes; behaviour per call is injectable.</summary>
internal sealed class RecordingPlugin : ICniPlugin
{
    public List<(CniCommand Command, CniInvocation Invocation)> Calls { get; } = [];

    public IReadOnlyList<CniVersion>? Versions { get; init; }

    public Func<CniInvocation, CniResult>? OnAdd { get; init; }

    public Exception? Throw { get; init; }

    IReadOnlyList<CniVersion> ICniPlugin.SupportedVersions => Versions ?? CniVersion.Supported;

    public static CniResult DefaultResult { get; } = CniResult.Parse(
        JsonNode.Parse("""{"cniVersion":"1.1.0","interfaces":[{"name":"eth0","mtu":1500}],"ips":[{"interface":0,"address":"10.0.0.2/24","gateway":"10.0.0.1"}]}"""),
        CniVersion.V110);

    public Task<CniResult> AddAsync(CniInvocation invocation, CancellationToken cancellationToken)
    {
        Record(CniCommand.Add, invocation);
        return Task.FromResult(OnAdd?.Invoke(invocation) ?? DefaultResult);
    }

    public Task DelAsync(CniInvocation invocation, CancellationToken cancellationToken) => Record(CniCommand.Del, invocation);

    public Task CheckAsync(CniInvocation invocation, CancellationToken cancellationToken) => Record(CniCommand.Check, invocation);

    public Task GcAsync(CniInvocation invocation, CancellationToken cancellationToken) => Record(CniCommand.Gc, invocation);

    public Task StatusAsync(CniInvocation invocation, CancellationToken cancellationToken) => Record(CniCommand.Status, invocation);

    private Task Record(CniCommand command, CniInvocation invocation)
    {
        Calls.Add((command, invocation));
        return Throw is null ? Task.CompletedTask : Task.FromException(Throw);
    }
}
