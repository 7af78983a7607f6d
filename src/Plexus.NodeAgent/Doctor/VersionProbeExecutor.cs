using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Plexus.NodeAgent.Doctor;

/// <summary>
/// Looks a plugin type up in the bin dirs like libcni (no <c>/</c> in the type, first regular
/// file wins) and runs it with <c>CNI_COMMAND=VERSION</c>, bounded by a timeout. Results are cached per type.
/// </summary>
public sealed class VersionProbeExecutor(IReadOnlyList<string> binDirs, TimeSpan timeout) : IPluginProbe
{
    private readonly Dictionary<string, PluginProbeResult> _cache = new(StringComparer.Ordinal);

    public PluginProbeResult Probe(string type, CancellationToken cancellationToken)
    {
        if (!_cache.TryGetValue(type, out var result))
        {
            result = _cache[type] = Run(type, cancellationToken);
        }
        return result;
    }

    private PluginProbeResult Run(string type, CancellationToken cancellationToken)
    {
        if (type.Contains('/') || type.Length == 0)
        {
            return new PluginProbeResult(null, [], $"invalid plugin type \"{type}\"");
        }
        var path = binDirs.Select(d => Path.Combine(d, type)).FirstOrDefault(File.Exists);
        if (path is null)
        {
            return new PluginProbeResult(null, [], $"no executable in {string.Join(':', binDirs)}; install it or pass the right --bin-dir");
        }
        var start = new ProcessStartInfo(path)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["CNI_COMMAND"] = "VERSION";
        start.Environment["CNI_PATH"] = string.Join(':', binDirs);
        try
        {
            using var process = Process.Start(start)!;
            WriteStdin(process);
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                return new PluginProbeResult(path, [], $"VERSION did not answer within {timeout.TotalSeconds:0} s");
            }
            return Parse(path, process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return new PluginProbeResult(path, [], $"cannot execute: {e.Message}");
        }
    }

    private static void WriteStdin(Process process)
    {
        try
        {
            process.StandardInput.Write("{\"cniVersion\":\"0.4.0\"}");
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // A plugin that answers VERSION without reading stdin may already be gone; its output still counts.
        }
    }

    private static PluginProbeResult Parse(string path, int exitCode, string stdout, string stderr)
    {
        try
        {
            var answer = JsonNode.Parse(stdout) as JsonObject;
            if (exitCode == 0 && answer?["supportedVersions"] is JsonArray versions)
            {
                return new PluginProbeResult(path, versions.Select(v => v?.GetValue<string>() ?? "").ToList(), null);
            }
            var message = answer?["msg"]?.GetValue<string>();
            return new PluginProbeResult(path, [], $"VERSION exited {exitCode}: {message ?? Trim(stderr)}");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return new PluginProbeResult(path, [], $"VERSION exited {exitCode} without a version answer: {Trim(stdout + " " + stderr)}");
        }
    }

    private static string Trim(string text)
    {
        text = text.Trim();
        return text.Length <= 200 ? text : text[..200] + "…";
    }
}
