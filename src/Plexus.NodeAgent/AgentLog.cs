namespace Plexus.NodeAgent;

/// <summary>
/// The agent's line log on stderr (a DaemonSet's container log): one line per event so every
/// skip, move and write can be grepped. Never given a token.
/// </summary>
public sealed class AgentLog(TextWriter writer, TimeProvider time)
{
    private readonly Lock _gate = new();

    public void Info(string message) => Write("info", message);

    public void Warn(string message) => Write("warn", message);

    public void Error(string message) => Write("error", message);

    private void Write(string level, string message)
    {
        var stamp = time.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);
        lock (_gate)
        {
            writer.WriteLine($"{stamp} plexus-agent {level}: {message}");
            writer.Flush();
        }
    }
}
