using System.Text;
using System.Text.Json.Nodes;
using Plexus.Cni;
using Plexus.Cni.Results;
using Plexus.Cni.Skel;
using Plexus.Testing;

namespace Plexus.Integration.Tests.Thick;

/// <summary>
/// A scenario's invocation run the way a runtime runs thick mode: the published plexus-shim executable with
/// the CNI env and stdin (pointed at the daemon's socket dir), its stdout read back as a result or a CNI error.
/// </summary>
internal sealed class ShimPlugin(string socketDir) : ICniPlugin
{
    public async Task<CniResult> AddAsync(CniInvocation invocation, CancellationToken cancellationToken) =>
        CniResult.Parse(await RunAsync("ADD", invocation), invocation.Config.CniVersion);

    public Task DelAsync(CniInvocation invocation, CancellationToken cancellationToken) => RunAsync("DEL", invocation);

    public Task CheckAsync(CniInvocation invocation, CancellationToken cancellationToken) => RunAsync("CHECK", invocation);

    public Task GcAsync(CniInvocation invocation, CancellationToken cancellationToken) => RunAsync("GC", invocation);

    public Task StatusAsync(CniInvocation invocation, CancellationToken cancellationToken) => RunAsync("STATUS", invocation);

    private async Task<byte[]> RunAsync(string command, CniInvocation invocation)
    {
        var env = new Dictionary<string, string>
        {
            ["CNI_COMMAND"] = command,
            ["CNI_PATH"] = string.Join(':', invocation.Path),
        };
        Set(env, "CNI_CONTAINERID", invocation.ContainerId);
        Set(env, "CNI_NETNS", invocation.Netns);
        Set(env, "CNI_IFNAME", invocation.IfName);
        Set(env, "CNI_ARGS", invocation.Args.Pairs.Count == 0 ? null : invocation.Args.Format());
        // What the generated thick config carries: the shim type and where the daemon listens.
        var config = JsonNode.Parse(invocation.Stdin.Span)!.AsObject();
        config["type"] = "plexus-shim";
        config["daemonSocketDir"] = socketDir;
        var (exit, stdout, stderr) = await PublishedBinary.Shim.RunAsync(env, Encoding.UTF8.GetBytes(config.ToJsonString()));
        if (exit == 0)
        {
            return stdout;
        }
        throw CniErrorJson.TryParse(stdout, out var error)
            ? error
            : new InvalidOperationException($"plexus-shim exited {exit} without CNI error JSON: {Encoding.UTF8.GetString(stdout)} {stderr}");
    }

    private static void Set(Dictionary<string, string> env, string key, string? value)
    {
        if (value is not null)
        {
            env[key] = value;
        }
    }
}
