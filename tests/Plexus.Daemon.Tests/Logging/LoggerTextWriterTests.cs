using System.Text;
using Microsoft.Extensions.Logging;
using Plexus.Cni.Invoke;
using Plexus.Cni.Skel;
using Plexus.Core.Service;
using Plexus.Daemon.Logging;
using Plexus.Daemon.Tests.Testing;
using Plexus.NodeAgent;

namespace Plexus.Daemon.Tests.Logging;

/// <summary>
/// The node agent's and the meta-plugin's lines keep the level they were written at in plexusd's log, so the shipped
/// <c>"logLevel": "error"</c> (a minimum of Warning) keeps their warnings and errors.
/// </summary>
public sealed class LoggerTextWriterTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("plexusd-lines-").FullName;
    private readonly CapturingLoggerProvider _logs = new();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void AgentLog_EachLevel_LoggedAtThatLevel()
    {
        var log = new AgentLog(new LoggerTextWriter(_logs.CreateLogger("agent")), TimeProvider.System);

        log.Info("primary CNI config: /etc/cni/net.d/10-calico.conflist");
        log.Warn("skipped /etc/cni/net.d/05-bad.conf: invalid JSON");
        log.Error("config pass failed: disk full");

        Assert.Collection(_logs.Lines,
            l => Assert.StartsWith("Information agent: ", l, StringComparison.Ordinal),
            l => Assert.StartsWith("Warning agent: ", l, StringComparison.Ordinal),
            l => Assert.StartsWith("Error agent: ", l, StringComparison.Ordinal));
    }

    [Fact]
    public async Task MetaPlugin_ErrorLine_LoggedAsError()
    {
        var host = new MetaPluginHost { Executor = new ProcessPluginExecutor(), Log = new LoggerTextWriter(_logs.CreateLogger("meta")) };
        var config = $$"""
            {"cniVersion":"1.0.0","name":"plexus","type":"plexus-shim","logLevel":"debug","cniDir":"{{_dir}}",
             "readinessindicatorfile":"{{_dir}}/not-ready","delegates":[{"cniVersion":"1.0.0","name":"n","type":"noop"}]}
            """;

        var exit = await PluginDispatcher.RunAsync(TestDaemon.Env("DEL"), new MemoryStream(Encoding.UTF8.GetBytes(config)),
            new MemoryStream(), TextWriter.Null, new MetaPlugin(host), CancellationToken.None);

        Assert.Equal(PluginDispatcher.ExitSuccess, exit);
        Assert.Single(_logs.Lines, l => l.StartsWith("Error meta: ", StringComparison.Ordinal) && l.Contains("readiness indicator file", StringComparison.Ordinal));
        Assert.Contains(_logs.Lines, l => l.StartsWith("Information meta: ", StringComparison.Ordinal) && l.Contains("[verbose]", StringComparison.Ordinal));
    }

    /// <summary>plexusd hands one writer to every request: lines written at once by many verbs stay whole.</summary>
    [Fact]
    public async Task ConcurrentVerbs_EveryLineWholeAndOnce()
    {
        var writer = new LoggerTextWriter(_logs.CreateLogger("meta"));
        var expected = Enumerable.Range(0, 8).SelectMany(v => Enumerable.Range(0, 500).Select(i => $"verb {v} line {i} {new string('x', 40)}")).ToList();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(v => Task.Run(() =>
        {
            foreach (var line in expected.Where(l => l.StartsWith($"verb {v} ", StringComparison.Ordinal)))
            {
                writer.WriteLine(line);
            }
        })));

        Assert.Equal(expected.Order(StringComparer.Ordinal), _logs.Lines.Select(l => l["Information meta: ".Length..]).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("2026-11-27T10:00:00.000Z [panic] plexus: x", LogLevel.Critical)]
    [InlineData("2026-11-27T10:00:00.000Z [debug] plexus: x", LogLevel.Debug)]
    [InlineData("no level at all", LogLevel.Information)]
    [InlineData("", LogLevel.Information)]
    public void Of_OtherLines_TheirLevelOrInformation(string line, LogLevel expected)
    {
        Assert.Equal(expected, LineLevel.Of(line));
    }
}
