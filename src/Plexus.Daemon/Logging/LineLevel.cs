using Microsoft.Extensions.Logging;

namespace Plexus.Daemon.Logging;

/// <summary>
/// The level a meta-plugin line (<c>STAMP [error] plexus: …</c>, Multus's levels) or a node-agent line
/// (<c>STAMP plexus-agent warn: …</c>) was written at, read back from the line. Logged all at one level, the shipped
/// <c>"logLevel": "error"</c> hid the lines an operator needs (no usable primary, a skipped file, a network-status or
/// event not written) along with the progress lines.
/// </summary>
internal static class LineLevel
{
    public static LogLevel Of(string line)
    {
        var words = line.Split(' ', 4);
        var level = words.Length > 2 && words[1] == "plexus-agent" ? words[2] : words.Length > 1 ? words[1] : "";
        return level switch
        {
            "[panic]" => LogLevel.Critical,
            "[error]" or "error:" => LogLevel.Error,
            "warn:" => LogLevel.Warning,
            "[debug]" => LogLevel.Debug,
            _ => LogLevel.Information,
        };
    }
}
