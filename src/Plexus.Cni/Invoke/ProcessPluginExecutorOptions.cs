using System.Diagnostics;

namespace Plexus.Cni.Invoke;

/// <summary>How <see cref="ProcessPluginExecutor"/> runs plugin processes.</summary>
public sealed record ProcessPluginExecutorOptions
{
    /// <summary>How long one plugin run may take before its process tree is killed.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Retries after <c>text file busy</c> (a plugin binary being replaced); libcni retries 5 times.</summary>
    public int TextFileBusyRetries { get; init; } = 5;

    public TimeSpan TextFileBusyDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// Starts the configured process. The process inherits the starting thread's network namespace,
    /// so a test harness can start plugins inside a throwaway node namespace by replacing this.
    /// </summary>
    public Func<ProcessStartInfo, Process> StartProcess { get; init; } = static info => Process.Start(info)!;
}
