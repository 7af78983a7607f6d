using System.Text;
using Microsoft.Extensions.Logging;

namespace Plexus.Daemon.Logging;

/// <summary>
/// Turns the line logs of the meta-plugin and the node agent (written for a CLI's stderr) into structured
/// log entries, so they carry the request's scope (pod, container id, network) like every other line.
/// </summary>
internal sealed class LoggerTextWriter(ILogger logger, LogLevel level) : TextWriter
{
    private readonly StringBuilder _line = new();

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        if (value == '\n')
        {
            Flush();
        }
        else if (value != '\r')
        {
            _line.Append(value);
        }
    }

    public override void WriteLine(string? value)
    {
        _line.Append(value);
        Flush();
    }

    public override void Flush()
    {
        if (_line.Length > 0)
        {
            logger.LineLog(level, _line.ToString());
            _line.Clear();
        }
    }
}
