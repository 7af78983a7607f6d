using System.Text;

namespace Plexus.Cni.Invoke;

/// <summary>Turns a plugin's non-zero exit into a <see cref="CniException"/> naming the delegate.</summary>
internal static class PluginFailure
{
    private const int MaxQuoted = 2048;

    /// <summary>
    /// libcni's rule: stdout is the plugin's error JSON; when it is empty, stderr is the error text.
    /// Output that is neither keeps the plugin's exit status and shows what it printed.
    /// </summary>
    public static CniException FromExit(PluginInvocation invocation, int exitCode, byte[] stdout, byte[] stderr)
    {
        var who = $"{invocation.Describe()} failed on {invocation.Command}";
        if (CniErrorJson.TryParse(stdout, out var error))
        {
            var message = error.Message.Length > 0 ? error.Message : $"exit status {exitCode}";
            return new CniException(error.Code, $"{who}: {message}", error.Details);
        }
        if (stdout.AsSpan().Trim((byte)' ').Trim("\r\n\t"u8).IsEmpty)
        {
            return CniException.Io($"{who}: exit status {exitCode}: {Text(stderr)}", invocation.PluginPath);
        }
        return CniException.Io(
            $"{who}: exit status {exitCode} with output that is not CNI error JSON: {Text(stdout)}",
            $"{invocation.PluginPath}; stderr: {Text(stderr)}");
    }

    /// <summary>Plugin output for an error message: decoded, trimmed and bounded.</summary>
    public static string Text(byte[] output)
    {
        var text = Encoding.UTF8.GetString(output).Trim();
        if (text.Length == 0)
        {
            return "(no output)";
        }
        return text.Length <= MaxQuoted ? text : text[..MaxQuoted] + "…";
    }
}
