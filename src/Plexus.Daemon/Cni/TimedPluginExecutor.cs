using System.Diagnostics;
using Plexus.Cni.Invoke;
using Plexus.Daemon.Metrics;

namespace Plexus.Daemon.Cni;

/// <summary>Times every delegate run for the per-network latency histogram; the meta-plugin itself is unchanged.</summary>
public sealed class TimedPluginExecutor(IPluginExecutor inner, DaemonMetrics metrics) : IPluginExecutor
{
    public string Locate(string type, IReadOnlyList<string> binDirs) => inner.Locate(type, binDirs);

    public async Task<byte[]> ExecuteAsync(PluginInvocation invocation, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            return await inner.ExecuteAsync(invocation, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // VERSION probes are cached by the runtime and would only add noise.
            if (invocation.Command != "VERSION")
            {
                metrics.DelegateDuration.WithLabels(invocation.Command, invocation.NetworkName ?? "unknown")
                    .Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
            }
        }
    }
}
