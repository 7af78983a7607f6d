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
            var line = _line.ToString();
            logger.LineLog(LineLevel.Of(line), line);
            _line.Clear();
        }
    }
}
