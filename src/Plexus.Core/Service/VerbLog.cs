using Plexus.Core.Config;

namespace Plexus.Core.Service;

/// <summary>
/// Writes a verb's log lines where its config says (stderr and/or <c>logFile</c>, up to <c>logLevel</c>, or the host's
/// <see cref="MetaPluginHost.DefaultLogLevel"/> when the config sets none). Never throws: a log that cannot be written
/// must not change the verb's outcome.
/// </summary>
internal sealed class VerbLog(MetaConfig config, MetaPluginHost host)
{
    // One lock per log file in the process: an ADD resolves networks on a second thread, and plexusd runs many verbs
    // at once whose configs name the same file; their lines must not interleave or race a rotation.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lock> Gates = new(StringComparer.Ordinal);

    private readonly Lock gate = Gates.GetOrAdd(config.LogFile ?? "", _ => new Lock());

    private readonly LogLevel level = config.LogLevelOr(host.DefaultLogLevel);

    public void Write(LogLevel lineLevel, string message)
    {
        if (lineLevel > level)
        {
            return;
        }
        var now = host.Time.GetUtcNow();
        var line = $"{now:yyyy-MM-ddTHH:mm:ss.fffZ} [{lineLevel.ToString().ToLowerInvariant()}] plexus: {message}";
        lock (gate)
        {
            if (config.EffectiveLogToStderr)
            {
                try
                {
                    host.Log.WriteLine(line);
                }
                catch (Exception)
                {
                    // A closed or failing stderr: the runtime sees the verb's answer on stdout all the same.
                }
            }
            if (!string.IsNullOrEmpty(config.LogFile))
            {
                LogFileStore.Append(config.LogFile, config.EffectiveLogOptions, line, now);
            }
        }
    }
}
