namespace Plexus.Daemon.Protocol;

/// <summary>How long the shim waits for the socket to accept, and for the whole exchange.</summary>
internal sealed record DaemonTimeouts(TimeSpan Connect, TimeSpan Overall)
{
    /// <summary>
    /// A local unix socket accepts at once unless the daemon is wedged; the overall limit is above the daemon's default
    /// request timeout (55 s, counted from when it has read the request, its wait for a slot included), so its error,
    /// which names the network, arrives first.
    /// </summary>
    public static DaemonTimeouts Default { get; } = new(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(60));
}
