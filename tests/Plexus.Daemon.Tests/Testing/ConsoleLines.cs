using System.Text.RegularExpressions;

namespace Plexus.Daemon.Tests.Testing;

/// <summary>
/// What plexusd's console logger writes to stdout while some work runs. The console is process-wide: callers belong to
/// the ConsoleCapture collection, which runs alone.
/// </summary>
internal static partial class ConsoleLines
{
    /// <summary>
    /// Runs <paramref name="run"/> with stdout captured; its lines, colours removed. <paramref name="run"/> should dispose
    /// the daemon it starts: its console logger writes out what it still queues then.
    /// </summary>
    public static async Task<IReadOnlyList<string>> CaptureAsync(Func<Task> run)
    {
        var console = new StringWriter();
        var original = Console.Out;
        Console.SetOut(TextWriter.Synchronized(console));
        try
        {
            await run();
        }
        finally
        {
            Console.SetOut(original);
        }
        return [.. console.ToString().Split('\n').Select(l => AnsiEscape().Replace(l, "").TrimEnd('\r')).Where(l => l.Length > 0)];
    }

    [GeneratedRegex("\u001b\\[[0-9;]*m")]
    private static partial Regex AnsiEscape();
}
