using System.Text;
using Microsoft.Extensions.Logging;

namespace Plexus.Daemon.Logging;

/// <summary>
/// Turns the line logs of the meta-plugin and the node agent (written for a CLI's stderr) into structured
/// log entries, so they carry the request's scope (pod, container id, network) like every other line, at
/// the level each line was written at (<see cref="LineLevel"/>).
/// </summary>
internal sealed class LoggerTextWriter(ILogger logger) : TextWriter
{
    // One writer serves every request (MetaPluginHost.Log): concurrent verbs must not share a half-built line.
    private readonly Lock _gate = new();
    private readonly StringBuilder _line = new();

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        lock (_gate)
        {
            if (value == '\n')
            {
                FlushLine();
            }
            else if (value != '\r')
            {
                _line.Append(value);
            }
        }
    }

    public override void WriteLine(string? value)
    {
        lock (_gate)
        {
            _line.Append(value);
            FlushLine();
        }
    }

    public override void Flush()
    {
        lock (_gate)
        {
            FlushLine();
        }
    }

    private void FlushLine()
    {
        if (_line.Length > 0)
        {
            var line = _line.ToString();
            _line.Clear();
            logger.LineLog(LineLevel.Of(line), line);
        }
    }
}
