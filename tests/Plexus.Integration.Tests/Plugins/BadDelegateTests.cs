using Plexus.Cni;
using Plexus.Cni.Invoke;

namespace Plexus.Integration.Tests.Plugins;

/// <summary>Broken delegates (small stub plugins) chained after a working bridge: clear errors naming the delegate, no cache file.</summary>
[Trait("Category", "Root")]
public sealed class BadDelegateTests
{
    private const string NeedsRoot = "needs root to create network namespaces and run CNI plugins";
    private static readonly CancellationToken None = CancellationToken.None;

    // Only the hanging delegate's list gets a timeout shorter than the default, and still a generous one: it applies to the
    // bridge before it too, and with other tests creating and deleting namespaces beside them a bridge ADD took over 2 s.
    private const int HangTimeoutSeconds = 10;

    public static TheoryData<string, string, int, string> Failures => new()
    {
        { "json-error", "cat >/dev/null\necho '{\"cniVersion\":\"1.0.0\",\"code\":7,\"msg\":\"master uplink9 not found\",\"details\":\"check the config\"}'\nexit 1", 7, "failed on ADD: master uplink9 not found" },
        { "stderr-only", "cat >/dev/null\necho 'panic: runtime error' >&2\nexit 2", CniErrorCode.IoFailure, "failed on ADD: exit status 2: panic: runtime error" },
        { "non-json", "cat >/dev/null\necho 'Usage: plugin [flags]'\nexit 1", CniErrorCode.IoFailure, "not CNI error JSON: Usage: plugin [flags]" },
        { "garbage-ok", "cat >/dev/null\necho '{\"cniVersion\":'\nexit 0", CniErrorCode.DecodeFailure, "returned an unusable ADD result" },
        { "hangs", "cat >/dev/null\nsleep 600", CniErrorCode.IoFailure, $"did not finish ADD within {HangTimeoutSeconds}s and was killed" },
    };

    [SkippableTheory]
    [MemberData(nameof(Failures))]
    public async Task AddNetworkListAsync_BrokenDelegate_ClearErrorNamingItAndNoCacheFile(string type, string script, int code, string expected)
    {
        Skip.IfNot(Environment.IsPrivilegedProcess, NeedsRoot);
        await using var bed = await DelegateTestBed.CreateAsync(timeout: type == "hangs" ? TimeSpan.FromSeconds(HangTimeoutSeconds) : null);
        bed.Node.WriteStubPlugin(type, script);
        var list = DelegateTestBed.List("bad-net", CniVersion.V100,
            $$$"""{"type":"bridge","bridge":"plxbr2","ipam":{"type":"host-local","subnet":"10.95.0.0/24","dataDir":"{{{bed.Node.DataDir}}}"}}""",
            $$"""{"type":"{{type}}"}""");

        var error = await Assert.ThrowsAsync<CniException>(() => bed.Runtime.AddNetworkListAsync(list, bed.Attachment(), None));

        Assert.Equal(code, error.Code);
        Assert.StartsWith($"plugin \"{type}\" (network \"bad-net\")", error.Message);
        Assert.Contains(expected, error.Message);
        Assert.Empty(bed.CacheFiles());
    }

    [SkippableFact]
    public async Task AddNetworkListAsync_DelegateNotFound_NamesTypeAndDirsAndRunsNothing()
    {
        Skip.IfNot(Environment.IsPrivilegedProcess, NeedsRoot);
        await using var bed = await DelegateTestBed.CreateAsync();
        var list = DelegateTestBed.List("missing-net", CniVersion.V100, """{"type":"no-such-plugin"}""");

        var error = await Assert.ThrowsAsync<CniException>(() => bed.Runtime.AddNetworkListAsync(list, bed.Attachment(), None));

        Assert.Equal(CniErrorCode.IoFailure, error.Code);
        Assert.Contains("\"no-such-plugin\"", error.Message);
        Assert.Contains($"[{bed.Node.StubBinDir} /usr/lib/cni]", error.Message);
        Assert.Empty(bed.CacheFiles());
        Assert.Equal(["lo"], (await bed.LinksAsync(bed.Pod)).Select(l => l.Name));
    }

    [SkippableFact]
    public async Task GcAndStatus_List110WithDebianBridge_OnlyThe110DelegateIsAsked()
    {
        Skip.IfNot(Environment.IsPrivilegedProcess, NeedsRoot);
        await using var bed = await DelegateTestBed.CreateAsync();
        var log = Path.Combine(bed.Node.Root, "modern.log");
        bed.Node.WriteStubPlugin("modern", $$"""
            if [ "$CNI_COMMAND" = VERSION ]; then echo '{"cniVersion":"1.1.0","supportedVersions":["1.0.0","1.1.0"]}'; exit 0; fi
            echo "$CNI_COMMAND $(cat)" >> {{log}}
            """);
        var list = DelegateTestBed.List("gc-net", CniVersion.V110, """{"type":"bridge","bridge":"plxbr3"}""", """{"type":"modern"}""");

        await bed.Runtime.GcNetworkListsAsync([list], [new GcAttachment("ctr-1", "net1")], sendToPlugins: true, None);
        await bed.Runtime.StatusNetworkListAsync(list, None);

        var lines = File.ReadAllLines(log);
        Assert.Equal(["GC", "STATUS"], lines.Select(l => l.Split(' ')[0]));
        Assert.Contains("\"cni.dev/valid-attachments\":[{\"containerID\":\"ctr-1\",\"ifname\":\"net1\"}]", lines[0]);
        // The test can fail: Debian's bridge does reject GC when asked directly.
        var bridge = new PluginInvocation
        {
            PluginPath = PluginLocator.Find("bridge", bed.Node.PluginDirs),
            Command = "GC",
            PluginDirs = bed.Node.PluginDirs,
            Stdin = """{"cniVersion":"1.1.0","name":"gc-net","type":"bridge"}"""u8.ToArray(),
        };
        await Assert.ThrowsAsync<CniException>(() => bed.Executor.ExecuteAsync(bridge, None));
    }
}
