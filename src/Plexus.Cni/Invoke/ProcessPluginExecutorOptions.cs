namespace Plexus.Cni.Invoke;

/// <summary>How <see cref="ProcessPluginExecutor"/> runs plugin processes.</summary>
public sealed record ProcessPluginExecutorOptions
{
    /// <summary>How long one plugin run may take (on the monotonic clock) before its process group is killed.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Retries after <c>text file busy</c> (a plugin binary being replaced); libcni retries 5 times.</summary>
    public int TextFileBusyRetries { get; init; } = 5;

    public TimeSpan TextFileBusyDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Clock for the text-file-busy retry delay.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// Runs the start of a plugin process. The process inherits the calling thread's network
    /// namespace, so a test harness can start plugins inside a throwaway node namespace by replacing this.
    /// </summary>
    public Action<Action> StartProcess { get; init; } = static start => start();

    /// <summary>
    /// True: the calling thread waits for the plugin (a one-shot CNI process then needs no other
    /// thread). False: a dedicated thread waits, so a server's thread pool is never blocked.
    /// </summary>
    public bool WaitOnCallingThread { get; init; }
}
