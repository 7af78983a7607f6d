using System.Text.Json.Nodes;
using Plexus.Cni;
using Plexus.Daemon.Cni;
using Plexus.Daemon.Config;
using Plexus.Daemon.Tests.Testing;

namespace Plexus.Daemon.Tests.Logging;

[CollectionDefinition(nameof(ConsoleCapture), DisableParallelization = true)]
public sealed class ConsoleCapture;

/// <summary>
/// plexusd's two log formats, as configured by <see cref="ThickDaemon"/>, on the real console formatters: every request
/// line names the request. The console is process-wide, so these run alone.
/// </summary>
[Collection(nameof(ConsoleCapture))]
public sealed class RequestLogScopeTests
{
    private const string Identity = "verb=ADD pod=ns1/pod-c1 containerId=c1 network=plexus";

    [Fact]
    public async Task TextLogs_RequestLine_ShowsVerbPodContainerIdAndNetwork()
    {
        var lines = await CaptureAsync(jsonLogs: false);

        var finished = Assert.Single(lines, l => l.Contains("ADD finished", StringComparison.Ordinal));
        Assert.Contains("=> " + Identity, finished, StringComparison.Ordinal);
        Assert.DoesNotContain(lines, l => l.Contains("KeyValuePair", StringComparison.Ordinal) || l.Contains("ReadOnlyArray", StringComparison.Ordinal));
    }

    [Fact]
    public async Task JsonLogs_RequestLine_CarriesEachFieldStructured()
    {
        var lines = await CaptureAsync(jsonLogs: true);

        var finished = lines.Select(l => JsonNode.Parse(l)!).Single(e => (int?)e["EventId"] == 100);
        var scope = Assert.Single(finished["Scopes"]!.AsArray())!;
        Assert.Equal(("ADD", "ns1/pod-c1", "c1", "plexus"),
            ((string?)scope["verb"], (string?)scope["pod"], (string?)scope["containerId"], (string?)scope["network"]));
    }

    [Theory]
    [InlineData("ns/pod", "abc", "net1", "verb=DEL pod=ns/pod containerId=abc network=net1")]
    [InlineData("", "", "", "verb=DEL pod= containerId= network=")]
    [InlineData("ns/p", "a b", "x=\"y\"\n", "verb=DEL pod=ns/p containerId=\"a b\" network=\"x=\\\"y\\\"\\n\"")]
    public void CallScope_ToString_IsLogfmtQuotingWhatNeedsIt(string pod, string containerId, string network, string expected)
    {
        var scope = new CallIdentity("DEL", pod, containerId, network).ToScope();

        Assert.Equal(expected, scope.ToString());
        Assert.Equal(["verb", "pod", "containerId", "network"], scope.Select(f => f.Key));
    }

    /// <summary>One ADD through the shim with plexusd's logging; the lines plexusd wrote to stdout.</summary>
    private static async Task<IReadOnlyList<string>> CaptureAsync(bool jsonLogs)
    {
        var settings = new DaemonSettings { Server = new DaemonOptions { JsonLogs = jsonLogs } };
        var handler = new ScriptedHandler((_, _) => Task.FromResult(CniOutcome.Success(CniVersion.V040, new() { ["cniVersion"] = "0.4.0" })));
        return await ConsoleLines.CaptureAsync(async () =>
        {
            await using var daemon = await TestDaemon.StartAsync(handler, logging: builder => ThickDaemon.ConfigureLogging(builder, settings));
            Assert.Equal(0, (await daemon.ShimAsync("ADD")).ExitCode);
        });
    }
}
