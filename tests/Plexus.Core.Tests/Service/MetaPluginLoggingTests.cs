using System.Text;
using Plexus.Cni;
using Plexus.Cni.Skel;
using Plexus.Core.Config;

namespace Plexus.Core.Tests.Service;

/// <summary>What a verb leaves in <c>logFile</c> when it fails, and that no logging problem changes a verb's outcome.</summary>
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
    public async Task Add_PodNamedButNoKubernetesAccess_ErrorLineSaysItsNetworksAreNotRead()
    {
        rig.Executor.Answer("bridge", "ADD", MetaPluginRig.BridgeAnswer);

        await rig.Plugin(kubernetes: false).AddAsync(MetaPluginRig.Invocation("ADD", LogConfig("error")), CancellationToken.None);

        var line = Assert.Single(ErrorLines());
        Assert.Contains("pod pods/web: no Kubernetes access", line);
        Assert.Contains("network annotations are not read", line);
    }

    [Fact]
    public async Task Add_PanicLevel_FailureNotLogged()
    {
        rig.Executor.Fail("bridge", "ADD", CniException.Io("bridge broke"));

        await Assert.ThrowsAsync<CniException>(() => rig.Plugin().AddAsync(MetaPluginRig.Invocation("ADD", LogConfig("panic")), CancellationToken.None));

        Assert.False(File.Exists(LogPath));
    }

    // plexusd's case: a config without logLevel logs at the host's level (plexusd's own), not at Multus's panic.
    [Theory]
    [InlineData(LogLevel.Panic, 0)]
    [InlineData(LogLevel.Error, 1)]
    [InlineData(LogLevel.Debug, 1)]
    public async Task Add_NoLogLevelInConfig_HostsDefaultLevelDecides(LogLevel hostLevel, int errorLines)
    {
        rig.DefaultLogLevel = hostLevel;
        rig.Executor.Fail("bridge", "ADD", CniException.Io("bridge broke"));
        var config = rig.Config($$""","logFile":"{{LogPath}}","logToStderr":false""");

        await Assert.ThrowsAsync<CniException>(() => rig.Plugin().AddAsync(MetaPluginRig.Invocation("ADD", config), CancellationToken.None));

        Assert.Equal(errorLines, ErrorLines().Length);
    }

    [Theory]
    [InlineData(LogLevel.Debug, "panic", false)]
    [InlineData(LogLevel.Panic, "verbose", true)]
    [InlineData(LogLevel.Debug, "error", false)]
    public async Task Add_LogLevelInConfig_WinsOverTheHostsDefault(LogLevel hostLevel, string configLevel, bool verboseLine)
    {
        rig.DefaultLogLevel = hostLevel;

        await rig.Plugin().AddAsync(PodlessAdd(LogConfig(configLevel)), CancellationToken.None);

        Assert.Equal(verboseLine, File.Exists(LogPath) && File.ReadAllLines(LogPath).Any(l => l.Contains("[verbose] plexus: CNI_ARGS name no pod", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Add_ConfigRefused_ErrorStillLoggedToItsLogFile()
    {
        var config = $$"""{"cniVersion":"1.0.0","name":"plexus-net","type":"plexus","logFile":"{{LogPath}}","logLevel":"error","logToStderr":false}""";

        var error = await Assert.ThrowsAsync<CniException>(() => rig.Plugin().AddAsync(MetaPluginRig.Invocation("ADD", config), CancellationToken.None));

        Assert.Equal(CniErrorCode.InvalidNetworkConfig, error.Code);
        var line = Assert.Single(ErrorLines());
        Assert.Contains($"ADD of container c1 (pod pods/web) failed with code {error.Code}: {error.Message}", line);
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

    public static TheoryData<string> BadLogFiles() => new()
    {
        "NUL",
        "directory",
        "too long",
        "under a file",
    };

    [Theory]
    [MemberData(nameof(BadLogFiles))]
    public async Task Verbs_LogFileUnusable_OutcomeUnchanged(string kind)
    {
        var logFile = kind switch
        {
            "NUL" => Path.Combine(rig.Dir, "x\\u0000y"),
            "directory" => Directory.CreateDirectory(Path.Combine(rig.Dir, "logdir")).FullName,
            "too long" => Path.Combine(rig.Dir, new string('l', 300), "plexus.log"),
            _ => Path.Combine(WriteFile(Path.Combine(rig.Dir, "afile")), "plexus.log"),
        };
        var config = rig.Config($$""","logFile":"{{logFile}}","logLevel":"debug","logToStderr":false""");

        // Each call logs: the podless ADD and the second DEL at verbose level, the failed CHECK its error.
        await rig.Plugin().AddAsync(PodlessAdd(config), CancellationToken.None);
        rig.Executor.Fail("bridge", "CHECK", CniException.Io("no such link"));
        var error = await Assert.ThrowsAsync<CniException>(() => rig.Plugin().CheckAsync(MetaPluginRig.Invocation("CHECK", config), CancellationToken.None));
        await rig.Plugin().DelAsync(MetaPluginRig.Invocation("DEL", config), CancellationToken.None);
        await rig.Plugin().DelAsync(MetaPluginRig.Invocation("DEL", config), CancellationToken.None);

        Assert.Equal(CniErrorCode.IoFailure, error.Code);
        Assert.Contains("no such link", error.Message);
        Assert.Equal(["bridge ADD", "bridge CHECK", "bridge DEL"], rig.Executor.CallSummary);
        Assert.False(File.Exists(rig.CacheFile));
    }

    private static string WriteFile(string path)
    {
        File.WriteAllText(path, "");
        return path;
    }

    [Fact]
    public async Task Add_StderrWriterThrows_ResultStillReturned()
    {
        rig.Stderr = new ThrowingWriter();

        var result = await rig.Plugin().AddAsync(PodlessAdd(rig.Config(""","logLevel":"debug" """)), CancellationToken.None);

        Assert.Equal("10.0.0.5/24", (string?)result.ToJson()["ips"]?[0]?["address"]);
    }

    [Fact]
    public async Task Add_LogFileInMissingDirectories_DirectoriesCreated0755AndLinesWritten()
    {
        var logFile = Path.Combine(rig.Dir, "a", "b", "plexus.log");

        await rig.Plugin().AddAsync(PodlessAdd(rig.Config($$""","logFile":"{{logFile}}","logLevel":"verbose" """)), CancellationToken.None);

        Assert.NotEmpty(File.ReadAllLines(logFile));
        const UnixFileMode Mode0755 = (UnixFileMode)0b111_101_101;
        Assert.Equal(Mode0755, File.GetUnixFileMode(Path.Combine(rig.Dir, "a")));
        Assert.Equal(Mode0755, File.GetUnixFileMode(Path.Combine(rig.Dir, "a", "b")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(logFile));
    }

    private sealed class ThrowingWriter : TextWriter
    {
        public override Encoding Encoding => Encoding.UTF8;

        public override void WriteLine(string? value) => throw new NotSupportedException("stderr is gone");
    }
}
