using System.Text;
using System.Text.Json.Nodes;
using Plexus.Cni.Skel;

namespace Plexus.Cni.Tests.Skel;

public sealed class PluginDispatcherTests
{
    private sealed record Outcome(int ExitCode, string Stdout, string Stderr)
    {
        public JsonObject Json => JsonNode.Parse(Stdout)!.AsObject();

        public int Code => Json["code"]!.GetValue<int>();

        public string Msg => Json["msg"]!.GetValue<string>();

        public string ErrorVersion => Json["cniVersion"]!.GetValue<string>();
    }

    private static Task<Outcome> Run(Dictionary<string, string> env, string stdin, ICniPlugin? plugin = null, CancellationToken ct = default) =>
        Run(env, Encoding.UTF8.GetBytes(stdin), plugin, ct);

    private static async Task<Outcome> Run(Dictionary<string, string> env, byte[] stdin, ICniPlugin? plugin = null, CancellationToken ct = default)
    {
        using var input = new MemoryStream(stdin);
        using var output = new MemoryStream();
        using var errors = new StringWriter();
        var exit = await PluginDispatcher.RunAsync(env, input, output, errors, plugin ?? new RecordingPlugin(), ct);
        return new Outcome(exit, Encoding.UTF8.GetString(output.ToArray()), errors.ToString());
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task RunAsync_Add_PrintsResultInConfigVersion(string version)
    {
        var plugin = new RecordingPlugin();

        var outcome = await Run(SkelEnv.For("ADD"), SkelEnv.ConfAt(version), plugin);

        Assert.Equal(0, outcome.ExitCode);
        Assert.Equal(version, outcome.Json["cniVersion"]!.GetValue<string>());
        Assert.Equal(
            RecordingPlugin.DefaultResult.ConvertTo(CniVersion.Parse(version)).ToJson().ToJsonString(),
            outcome.Json.ToJsonString());
        Assert.Equal(CniCommand.Add, Assert.Single(plugin.Calls).Command);
        Assert.Equal("", outcome.Stderr);
    }

    public static TheoryData<string> Versions() => new(CniVersion.Supported.Select(v => v.ToString()));

    [Theory]
    [InlineData("DEL", CniCommand.Del, "0.1.0")]
    [InlineData("CHECK", CniCommand.Check, "0.4.0")]
    [InlineData("CHECK", CniCommand.Check, "1.0.0")]
    [InlineData("GC", CniCommand.Gc, "1.1.0")]
    [InlineData("STATUS", CniCommand.Status, "1.1.0")]
    public async Task RunAsync_VerbAllowedByVersion_CallsPluginAndPrintsNothing(string verb, CniCommand command, string version)
    {
        var plugin = new RecordingPlugin();

        var outcome = await Run(SkelEnv.For(verb), SkelEnv.ConfAt(version), plugin);

        Assert.Equal(0, outcome.ExitCode);
        Assert.Equal("", outcome.Stdout);
        Assert.Equal(command, Assert.Single(plugin.Calls).Command);
    }

    [Theory]
    [InlineData("CHECK", "0.3.1")]
    [InlineData("CHECK", "0.1.0")]
    [InlineData("GC", "1.0.0")]
    [InlineData("STATUS", "1.0.0")]
    [InlineData("GC", "0.4.0")]
    public async Task RunAsync_VerbTooNewForConfig_Code1WithoutCallingPlugin(string verb, string version)
    {
        var plugin = new RecordingPlugin();

        var outcome = await Run(SkelEnv.For(verb), SkelEnv.ConfAt(version), plugin);

        Assert.Equal(1, outcome.ExitCode);
        Assert.Equal(CniErrorCode.IncompatibleVersion, outcome.Code);
        Assert.Equal($"config version does not allow {verb}", outcome.Msg);
        Assert.Equal(version, outcome.ErrorVersion);
        Assert.Empty(plugin.Calls);
    }

    [Theory]
    [InlineData("0.5.0")]
    [InlineData("1.2.0")]
    [InlineData("9.9.9")]
    [InlineData("1.01.0")]
    [InlineData("01.0.0")]
    [InlineData("1.1.00")]
    [InlineData("+1.0.0")]
    [InlineData(" 1.0.0")]
    [InlineData("1.0")]
    public async Task RunAsync_UnknownOrNonCanonicalConfigVersion_Code1ListingSupportedInLatest(string version)
    {
        var plugin = new RecordingPlugin();

        var outcome = await Run(SkelEnv.For("ADD"), SkelEnv.ConfAt(version), plugin);

        Assert.Equal(1, outcome.ExitCode);
        Assert.Equal(CniErrorCode.IncompatibleVersion, outcome.Code);
        var details = outcome.Json["details"]!.GetValue<string>();
        Assert.Contains($"\"{version}\"", details);
        Assert.Contains("0.1.0, 0.2.0, 0.3.0, 0.3.1, 0.4.0, 1.0.0, 1.1.0", details);
        // Never stamped with a version the runtime may not speak (nor relabelled as a supported one).
        Assert.Equal("1.1.0", outcome.ErrorVersion);
        Assert.Empty(plugin.Calls);
    }

    [Theory]
    [InlineData("""{"cniVersion":"9.0.0","name":"n"}""")]
    [InlineData("""{"cniVersion":"9.0.0","name":"n","type":7}""")]
    [InlineData("""{"cniVersion":"0.4.00","type":"t"}""")]
    public async Task RunAsync_InvalidConfigWithUnsupportedVersion_ErrorInLatest(string config)
    {
        var outcome = await Run(SkelEnv.For("ADD"), config);

        Assert.Equal(CniErrorCode.InvalidNetworkConfig, outcome.Code);
        Assert.Equal("1.1.0", outcome.ErrorVersion);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("1.1")]
    [InlineData("true")]
    [InlineData("[\"1.1.0\"]")]
    public async Task RunAsync_CniVersionNotAString_Code6InLatest(string json)
    {
        var plugin = new RecordingPlugin();

        var outcome = await Run(SkelEnv.For("ADD"), "{\"cniVersion\":" + json + ",\"name\":\"n\",\"type\":\"t\"}", plugin);

        Assert.Equal(1, outcome.ExitCode);
        Assert.Equal(CniErrorCode.DecodeFailure, outcome.Code);
        Assert.Contains("cniVersion", outcome.Msg);
        Assert.Equal("1.1.0", outcome.ErrorVersion);
        Assert.Empty(plugin.Calls);
    }

    [Fact]
    public async Task RunAsync_VersionThePluginDoesNotList_Code1()
    {
        var plugin = new RecordingPlugin { Versions = [CniVersion.V040, CniVersion.V100] };

        var outcome = await Run(SkelEnv.For("ADD"), SkelEnv.ConfAt("1.1.0"), plugin);

        Assert.Equal(CniErrorCode.IncompatibleVersion, outcome.Code);
        Assert.Contains("plugin supports [0.4.0, 1.0.0]", outcome.Json["details"]!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task RunAsync_Version_EchoesRequestedSupportedVersion(string version)
    {
        var outcome = await Run(SkelEnv.For("VERSION"), "{\"cniVersion\":\"" + version + "\"}");

        Assert.Equal(0, outcome.ExitCode);
        Assert.Equal(
            $$"""{"cniVersion":"{{version}}","supportedVersions":["0.1.0","0.2.0","0.3.0","0.3.1","0.4.0","1.0.0","1.1.0"]}""",
            outcome.Stdout);
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("{")]
    [InlineData("[]")]
    [InlineData("{}")]
    [InlineData("""{"cniVersion":""}""")]
    [InlineData("""{"cniVersion":"9.0.0"}""")]
    [InlineData("""{"cniVersion":"1.01.0"}""")]
    [InlineData("""{"cniVersion":"01.0.0"}""")]
    [InlineData("""{"cniVersion":1}""")]
    [InlineData("""{"nested":{"cniVersion":"0.4.0"}}""")]
    public async Task RunAsync_VersionWithoutUsableRequestedVersion_AnswersLatest(string stdin)
    {
        var outcome = await Run(SkelEnv.For("VERSION"), stdin);

        Assert.Equal(0, outcome.ExitCode);
        Assert.Equal(
            """{"cniVersion":"1.1.0","supportedVersions":["0.1.0","0.2.0","0.3.0","0.3.1","0.4.0","1.0.0","1.1.0"]}""",
            outcome.Stdout);
    }

    [Fact]
    public async Task RunAsync_VersionRequestNotValidUtf8_AnswersLatest()
    {
        var outcome = await Run(SkelEnv.For("VERSION"), [.. "{\"cniVersion\":\"1.0."u8, 0xff, .. "\"}"u8]);

        Assert.Equal(0, outcome.ExitCode);
        Assert.Equal("1.1.0", outcome.Json["cniVersion"]!.GetValue<string>());
    }

    [Fact]
    public async Task RunAsync_VersionRequestAfterOtherKeys_IsFound()
    {
        var outcome = await Run(SkelEnv.For("VERSION"), """{"name":"n","ipam":{"cniVersion":"0.2.0","x":[1,{}]},"cniVersion":"0.3.1"}""");

        Assert.Equal("0.3.1", outcome.Json["cniVersion"]!.GetValue<string>());
    }

    // One rule for a repeated top-level cniVersion, the runtime's (Go's encoding/json keeps the last): VERSION echoes
    // the last, and a config refused for repeating the key is answered in the last too. The first is the latest here,
    // so an entry point that read the first, or fell back to the latest, would answer 1.1.0.
    private const string RepeatedCniVersion = """{"cniVersion":"1.1.0","name":"n","type":"t","cniVersion":"0.4.0"}""";

    [Fact]
    public async Task RunAsync_VersionWithRepeatedCniVersion_EchoesTheLast()
    {
        var outcome = await Run(SkelEnv.For("VERSION"), RepeatedCniVersion);

        Assert.Equal("0.4.0", outcome.Json["cniVersion"]!.GetValue<string>());
    }

    [Fact]
    public async Task RunAsync_AddWithRepeatedCniVersion_Code6InTheLastWithoutCallingThePlugin()
    {
        var plugin = new RecordingPlugin();

        var outcome = await Run(SkelEnv.For("ADD"), RepeatedCniVersion, plugin);

        Assert.Equal(CniErrorCode.DecodeFailure, outcome.Code);
        Assert.Contains("cniVersion", outcome.Json["details"]!.GetValue<string>());
        Assert.Equal("0.4.0", outcome.ErrorVersion);
        Assert.Empty(plugin.Calls);
    }

    [Theory]
    [InlineData("1.0.0", "1.0.0")]
    [InlineData("0.4.0", "0.4.0")]
    [InlineData("1.1.0", "1.0.0")]
    [InlineData("0.3.1", "1.0.0")]
    public async Task RunAsync_VersionOfPluginWithFewerVersions_ListsThemAndEchoesOnlyThose(string requested, string answered)
    {
        var outcome = await Run(
            SkelEnv.For("VERSION"), "{\"cniVersion\":\"" + requested + "\"}", new RecordingPlugin { Versions = [CniVersion.V040, CniVersion.V100] });

        Assert.Equal($$"""{"cniVersion":"{{answered}}","supportedVersions":["0.4.0","1.0.0"]}""", outcome.Stdout);
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("""{"cniVersion":"0.4.0","name":"n","type":""")]
    public async Task RunAsync_GarbageStdin_Code6ErrorJson(string stdin)
    {
        var outcome = await Run(SkelEnv.For("ADD"), stdin);

        Assert.Equal(1, outcome.ExitCode);
        Assert.Equal(CniErrorCode.DecodeFailure, outcome.Code);
    }

    [Fact]
    public async Task RunAsync_ConfigMissingType_Code7InConfigVersion()
    {
        var outcome = await Run(SkelEnv.For("ADD"), """{"cniVersion":"0.3.1","name":"n"}""");

        Assert.Equal(CniErrorCode.InvalidNetworkConfig, outcome.Code);
        Assert.Equal("0.3.1", outcome.ErrorVersion);
    }

    [Fact]
    public async Task RunAsync_MissingEnv_Code4NamingVariable()
    {
        var outcome = await Run(SkelEnv.Without("ADD", CniEnv.Netns), SkelEnv.Conf);

        Assert.Equal(1, outcome.ExitCode);
        Assert.Equal(CniErrorCode.InvalidEnvironment, outcome.Code);
        Assert.Contains(CniEnv.Netns, outcome.Msg);
    }

    [Fact]
    public async Task RunAsync_PluginThrowsCniException_PrintsItInConfigVersion()
    {
        var plugin = new RecordingPlugin { Throw = new CniException(105, "delegate macvlan failed", "no such device") };

        var outcome = await Run(SkelEnv.For("DEL"), SkelEnv.ConfAt("0.4.0"), plugin);

        Assert.Equal(1, outcome.ExitCode);
        Assert.Equal("""{"cniVersion":"0.4.0","code":105,"msg":"delegate macvlan failed","details":"no such device"}""", outcome.Stdout);
    }

    [Fact]
    public async Task RunAsync_UnexpectedException_Code999MessageOnStdoutDetailsOnStderr()
    {
        var plugin = new RecordingPlugin { Throw = new NullReferenceException("boom") };

        var outcome = await Run(SkelEnv.For("DEL"), SkelEnv.Conf, plugin);

        Assert.Equal(1, outcome.ExitCode);
        Assert.Equal(PluginDispatcher.InternalErrorCode, outcome.Code);
        Assert.Contains("NullReferenceException: boom", outcome.Msg);
        Assert.DoesNotContain(" at ", outcome.Stdout);
        Assert.Contains("boom", outcome.Stderr);
        Assert.Contains("PluginDispatcher", outcome.Stderr);
    }

    [Fact]
    public async Task RunAsync_ResultNotExpressibleInConfigVersion_Code1()
    {
        var noIps = JsonNode.Parse("""{"cniVersion":"1.0.0","interfaces":[{"name":"eth0"}]}""");
        var plugin = new RecordingPlugin { OnAdd = _ => Plexus.Cni.Results.CniResult.Parse(noIps, CniVersion.V100) };

        var outcome = await Run(SkelEnv.For("ADD"), SkelEnv.ConfAt("0.2.0"), plugin);

        Assert.Equal(CniErrorCode.IncompatibleVersion, outcome.Code);
        Assert.Contains("no valid IP addresses", outcome.Msg);
    }

    [Fact]
    public async Task RunAsync_CancelledDuringCall_Code11()
    {
        using var cts = new CancellationTokenSource();
        var plugin = new RecordingPlugin { OnAdd = _ => { cts.Cancel(); throw new OperationCanceledException(cts.Token); } };

        var outcome = await Run(SkelEnv.For("ADD"), SkelEnv.Conf, plugin, cts.Token);

        Assert.Equal(CniErrorCode.TryAgainLater, outcome.Code);
    }

    [Fact]
    public async Task RunAsync_PassesInvocationThrough()
    {
        var plugin = new RecordingPlugin();

        await Run(SkelEnv.For("ADD"), SkelEnv.Conf, plugin);

        var invocation = Assert.Single(plugin.Calls).Invocation;
        Assert.Equal("c0ffee-1", invocation.ContainerId);
        Assert.Equal(1, invocation.Config.Raw["custom"]!["k"]!.GetValue<int>());
    }
}
