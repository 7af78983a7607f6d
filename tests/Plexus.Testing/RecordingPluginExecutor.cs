using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using Plexus.Cni;
using Plexus.Cni.Invoke;

namespace Plexus.Testing;

/// <summary>
/// A fake <see cref="IPluginExecutor"/> for unit tests: plugins are names in a virtual bin dir,
/// every run is recorded (with its stdin parsed), and answers are scripted per type and command.
/// Unscripted: VERSION lists <see cref="DefaultVersions"/>, ADD echoes the prevResult (or an empty
/// result in the config's version), other commands print nothing.
/// </summary>
public sealed class RecordingPluginExecutor : IPluginExecutor
{
    public const string BinDir = "/fake/cni/bin";
    private readonly ConcurrentDictionary<(string Type, string Command), Func<Call, byte[]>> _answers = new();
    private readonly ConcurrentDictionary<string, string[]> _versions = new();
    private readonly ConcurrentQueue<Call> _calls = new();

    /// <summary>One recorded run: the invocation, the plugin type and the parsed stdin.</summary>
    public sealed record Call(PluginInvocation Invocation, string Type, JsonObject? Config);

    public static IReadOnlyList<string> DefaultVersions { get; } = ["0.1.0", "0.2.0", "0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"];

    /// <summary>Plugin types that exist; <see cref="Locate"/> fails like the real lookup for others.</summary>
    public HashSet<string> Plugins { get; } = [];

    public IReadOnlyList<Call> Calls => [.. _calls];

    public IEnumerable<string> CallSummary => Calls.Select(c => $"{c.Type} {c.Invocation.Command}");

    public RecordingPluginExecutor WithPlugin(string type, params string[] supportedVersions)
    {
        Plugins.Add(type);
        if (supportedVersions.Length > 0)
        {
            _versions[type] = supportedVersions;
        }
        return this;
    }

    public RecordingPluginExecutor Answer(string type, string command, Func<Call, string> answer)
    {
        _answers[(type, command)] = call => Encoding.UTF8.GetBytes(answer(call));
        return this;
    }

    public RecordingPluginExecutor Answer(string type, string command, string json) => Answer(type, command, _ => json);

    public RecordingPluginExecutor Fail(string type, string command, CniException error)
    {
        _answers[(type, command)] = _ => throw error;
        return this;
    }

    public string Locate(string type, IReadOnlyList<string> binDirs) =>
        Plugins.Contains(type) && binDirs.Contains(BinDir)
            ? $"{BinDir}/{type}"
            : throw CniException.Io($"failed to find plugin \"{type}\" in path [{string.Join(' ', binDirs)}]");

    public Task<byte[]> ExecuteAsync(PluginInvocation invocation, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var type = Path.GetFileName(invocation.PluginPath);
        var config = invocation.Stdin.IsEmpty ? null : JsonNode.Parse(invocation.Stdin.Span) as JsonObject;
        var call = new Call(invocation, type, config);
        _calls.Enqueue(call);
        try
        {
            return Task.FromResult(Respond(call));
        }
        catch (CniException ex)
        {
            return Task.FromException<byte[]>(ex);
        }
    }

    private byte[] Respond(Call call)
    {
        if (_answers.TryGetValue((call.Type, call.Invocation.Command), out var answer))
        {
            return answer(call);
        }
        var version = call.Config?["cniVersion"]?.GetValue<string>() ?? "1.0.0";
        var json = call.Invocation.Command switch
        {
            "VERSION" => new JsonObject
            {
                ["cniVersion"] = version,
                ["supportedVersions"] = new JsonArray([.. (_versions.GetValueOrDefault(call.Type) ?? DefaultVersions).Select(v => (JsonNode)v)]),
            }.ToJsonString(),
            "ADD" => call.Config?["prevResult"]?.ToJsonString() ?? $"{{\"cniVersion\":\"{version}\"}}",
            _ => "",
        };
        return Encoding.UTF8.GetBytes(json);
    }
}
