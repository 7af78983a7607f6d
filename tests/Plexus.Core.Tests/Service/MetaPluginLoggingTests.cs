using System.Text;
using Plexus.Cni;
using Plexus.Cni.Skel;

namespace Plexus.Core.Tests.Service;

/// <summary>What a verb leaves in <c>logFile</c> when it fails.</summary>
public sealed class MetaPluginLoggingTests : IDisposable
{
    private readonly MetaPluginRig rig = new();

    public void Dispose() => rig.Dispose();

    private string LogPath => Path.Combine(rig.Dir, "plexus.log");

    private string LogConfig(string level, string extra = "") => rig.Config($$""","logFile":"{{LogPath}}","logLevel":"{{level}}","logToStderr":false{{extra}}""");

    private string[] ErrorLines() => File.Exists(LogPath) ? [.. File.ReadAllLines(LogPath).Where(l => l.Contains("[error]", StringComparison.Ordinal))] : [];

    [Fact]
    public async Task Add_DelegateFailsAtLogLevelError_OneErrorLineWithVerbPodCodeMessageDetails()
    {
        rig.Executor.Fail("bridge", "ADD", new CniException(CniErrorCode.IoFailure, "bridge broke", "check the uplink"));

        var error = await Assert.ThrowsAsync<CniException>(() => rig.Plugin().AddAsync(MetaPluginRig.Invocation("ADD", LogConfig("error")), CancellationToken.None));

        var line = Assert.Single(ErrorLines());
        Assert.Contains($"ADD of container c1 (pod pods/web) failed with code {CniErrorCode.IoFailure}: {error.Message}", line);
        Assert.Contains("bridge broke", line);
        Assert.Contains("check the uplink", line);
        Assert.Single(File.ReadAllLines(LogPath), l => l.Contains("bridge broke", StringComparison.Ordinal));
    }

    /// <summary>An ADD whose CNI_ARGS name no pod: it logs that at verbose level, and attaches the static network.</summary>
    private static CniInvocation PodlessAdd(string config) => CniInvocation.Create(new Dictionary<string, string>
    {
        ["CNI_COMMAND"] = "ADD",
        ["CNI_CONTAINERID"] = "c1",
        ["CNI_NETNS"] = "/ns",
        ["CNI_IFNAME"] = "eth0",
        ["CNI_PATH"] = "/nonexistent",
    }, Encoding.UTF8.GetBytes(config));

    [Fact]
    public async Task Add_Succeeds_NoErrorLine()
    {
        await rig.Plugin().AddAsync(PodlessAdd(LogConfig("debug")), CancellationToken.None);

        Assert.Contains(File.ReadAllLines(LogPath), l => l.Contains("[verbose] plexus: CNI_ARGS name no pod", StringComparison.Ordinal));
        Assert.Empty(ErrorLines());
    }

    [Fact]
    public async Task Add_PanicLevel_FailureNotLogged()
    {
        rig.Executor.Fail("bridge", "ADD", CniException.Io("bridge broke"));

        await Assert.ThrowsAsync<CniException>(() => rig.Plugin().AddAsync(MetaPluginRig.Invocation("ADD", LogConfig("panic")), CancellationToken.None));

        Assert.False(File.Exists(LogPath));
    }

    [Fact]
    public async Task Add_UnforeseenException_LoggedAsInternalError()
    {
        rig.Executor.Answer("bridge", "ADD", _ => throw new InvalidOperationException("state went wrong"));

        await Assert.ThrowsAsync<InvalidOperationException>(() => rig.Plugin().AddAsync(MetaPluginRig.Invocation("ADD", LogConfig("error")), CancellationToken.None));

        var line = Assert.Single(ErrorLines());
        Assert.Contains($"ADD of container c1 (pod pods/web) failed with code {PluginDispatcher.InternalErrorCode}: internal error: InvalidOperationException: state went wrong", line);
    }

    [Fact]
    public async Task Del_DelegateFails_OneErrorLine()
    {
        rig.Annotate("a");
        rig.Kube.AddNad("pods", "a", """{"cniVersion":"1.0.0","type":"macvlan"}""");
        var config = LogConfig("error");
        await rig.Plugin().AddAsync(MetaPluginRig.Invocation("ADD", config), CancellationToken.None);
        rig.Executor.Fail("macvlan", "DEL", CniException.Io("macvlan broke"));

        await Assert.ThrowsAsync<CniException>(() => rig.Plugin().DelAsync(MetaPluginRig.Invocation("DEL", config), CancellationToken.None));

        var line = Assert.Single(ErrorLines());
        Assert.Contains($"DEL of container c1 (pod pods/web) failed with code {CniErrorCode.IoFailure}:", line);
        Assert.Contains("macvlan broke", line);
        Assert.Contains("retryDeleteOnError is false", line);
    }

    [Fact]
    public async Task Check_DelegateFails_OneErrorLine()
    {
        var config = LogConfig("error");
        await rig.Plugin().AddAsync(MetaPluginRig.Invocation("ADD", config), CancellationToken.None);
        rig.Executor.Fail("bridge", "CHECK", CniException.Io("no such link"));

        await Assert.ThrowsAsync<CniException>(() => rig.Plugin().CheckAsync(MetaPluginRig.Invocation("CHECK", config), CancellationToken.None));

        var line = Assert.Single(ErrorLines());
        Assert.Contains("CHECK of container c1 (pod pods/web) failed with code", line);
        Assert.Contains("no such link", line);
    }

    [Theory]
    [InlineData("GC", ""","clusterNetwork":"/nonexistent/cluster.conf" """)]
    [InlineData("STATUS", ""","readinessindicatorfile":"/nonexistent/ready" """)]
    public async Task NodeVerb_Fails_OneErrorLineWithoutContainerOrPod(string verb, string extra)
    {
        var plugin = rig.Plugin(kubernetes: false);
        var invocation = MetaPluginRig.NodeInvocation(verb, LogConfig("error", extra));

        var error = await Assert.ThrowsAsync<CniException>(() => verb == "GC"
            ? plugin.GcAsync(invocation, CancellationToken.None)
            : plugin.StatusAsync(invocation, CancellationToken.None));

        var line = Assert.Single(ErrorLines());
        Assert.Contains($"[error] plexus: {verb} failed with code {error.Code}: {error.Message}", line);
    }
}
