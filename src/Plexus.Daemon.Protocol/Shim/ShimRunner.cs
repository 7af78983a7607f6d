using Plexus.Cni;
using Plexus.Cni.Skel;

namespace Plexus.Daemon.Protocol.Shim;

/// <summary>
/// The shim's whole job: VERSION locally, every other verb as one request to plexusd.
/// Environment and stdin are handed in, so tests drive it without touching the process.
/// </summary>
internal static class ShimRunner
{
    private const string EnvPrefix = "CNI_";

    /// <summary>
    /// For in-process callers (tests, bursts of calls): <see cref="Run"/> on a thread of its own, since it blocks
    /// for as long as the daemon takes to answer.
    /// </summary>
    public static Task<ShimOutput> RunAsync(
        IReadOnlyDictionary<string, string> environment, byte[] stdin, CancellationToken cancellationToken) =>
        Task.Factory.StartNew(() => Run(environment, stdin, cancellationToken), cancellationToken,
            TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>The shim process's path: blocking I/O on the calling thread, so no other thread is ever started.</summary>
    public static ShimOutput Run(IReadOnlyDictionary<string, string> environment, byte[] stdin, CancellationToken cancellationToken)
    {
        if (environment.TryGetValue("CNI_COMMAND", out var command) && command == "VERSION")
        {
            return new ShimOutput(VersionAnswer.Encode(CniVersion.Supported, stdin), 0);
        }
        var config = StdinConfig.Read(stdin);
        if (config.Unusable is { } unusable)
        {
            return ShimOutput.FromError(unusable, config.CniVersion);
        }
        // Only the CNI variables: the shim's own environment (tokens, proxies) is none of the daemon's business.
        var env = environment.Where(kv => kv.Key.StartsWith(EnvPrefix, StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        var body = CniRequestBody.Encode(env, stdin);
        try
        {
            var reply = DaemonClient.Post(config.SocketPath, DaemonEndpoints.Cni, body, config.Timeouts, cancellationToken);
            return ShimOutput.FromReply(reply, command ?? "", config.SocketPath, config.CniVersion);
        }
        // Code 11 here is the daemon not answering (a too large request is code 7).
        catch (CniException e)
        {
            return ShimOutput.FromError(ShimOutput.Unreachable(command ?? "", e), config.CniVersion);
        }
    }
}
