using System.Text.Json.Nodes;
using Plexus.Cni;
using Plexus.Testing;

namespace Plexus.App.Tests;

public sealed class PluginBinaryTests
{
    [SkippableFact]
    public async Task Version_PublishedBinary_PrintsEverySupportedVersion()
    {
        Skip.IfNot(PublishedPlexus.Exists, PublishedPlexus.NotPublished);

        var (exit, stdout, stderr) = await PublishedPlexus.RunAsync(new Dictionary<string, string> { ["CNI_COMMAND"] = "VERSION" }, "");

        Assert.True(exit == 0, $"exit {exit}, stderr: {stderr}");
        var answer = JsonNode.Parse(stdout)!;
        Assert.Equal("1.1.0", answer["cniVersion"]!.GetValue<string>());
        Assert.Equal(
            ["0.1.0", "0.2.0", "0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"],
            answer["supportedVersions"]!.AsArray().Select(v => v!.GetValue<string>()));
    }

    /// <summary>
    /// <c>( echo before; { read -r skip; plexus; } &lt; in; echo "rc=$?" ) &gt; out</c>: stdin and stdout are regular
    /// files shared with the shell. The answer must be read from stdin's current offset and written at stdout's,
    /// advancing it, so the shell's next line lands after the JSON instead of over it.
    /// </summary>
    [SkippableFact]
    public async Task Version_StdioRegularFilesSharedWithShell_ReadsAndWritesAtTheSharedOffset()
    {
        Skip.IfNot(PublishedPlexus.Exists, PublishedPlexus.NotPublished);
        var dir = Directory.CreateTempSubdirectory("plexus-stdio-").FullName;
        try
        {
            var input = Path.Combine(dir, "in");
            var output = Path.Combine(dir, "out");
            File.WriteAllText(input, "skip\n{\"cniVersion\":\"0.4.0\"}");
            // The launcher appends the binary's path: $0 is the input, $1 the output, $2 plexus.
            string[] shell = ["/bin/sh", "-c", """( echo before; { read -r skip; "$2"; } < "$0"; echo "rc=$?" ) > "$1" """, input, output];

            var (exit, _, stderr) = await PublishedBinary.Plexus.RunAsync(
                new Dictionary<string, string> { ["CNI_COMMAND"] = "VERSION" }, [], TimeSpan.FromSeconds(30), shell);

            Assert.True(exit == 0, $"exit {exit}, stderr: {stderr}");
            Assert.Equal(
                "before\n" + """{"cniVersion":"0.4.0","supportedVersions":["0.1.0","0.2.0","0.3.0","0.3.1","0.4.0","1.0.0","1.1.0"]}""" + "rc=0\n",
                File.ReadAllText(output));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [SkippableTheory]
    [InlineData("garbage")]
    [InlineData("{\"cniVersion\":\"1.0.0\",\"name\":\"n\",")]
    public async Task Add_GarbageStdin_NonZeroExitWithDecodeErrorJson(string stdin)
    {
        Skip.IfNot(PublishedPlexus.Exists, PublishedPlexus.NotPublished);

        var (exit, stdout, _) = await PublishedPlexus.RunAsync(AddEnv(), stdin);

        Assert.NotEqual(0, exit);
        var error = JsonNode.Parse(stdout)!;
        Assert.Equal(CniErrorCode.DecodeFailure, error["code"]!.GetValue<int>());
        Assert.Contains("not valid JSON", error["msg"]!.GetValue<string>());
    }

    [SkippableFact]
    public async Task Add_MissingEnv_NonZeroExitWithCode4NamingVariables()
    {
        Skip.IfNot(PublishedPlexus.Exists, PublishedPlexus.NotPublished);

        var (exit, stdout, _) = await PublishedPlexus.RunAsync(new Dictionary<string, string> { ["CNI_COMMAND"] = "ADD" }, "{}");

        Assert.NotEqual(0, exit);
        var error = JsonNode.Parse(stdout)!;
        Assert.Equal(CniErrorCode.InvalidEnvironment, error["code"]!.GetValue<int>());
        Assert.Contains("CNI_NETNS", error["msg"]!.GetValue<string>());
    }

    // The real process: an exec credential plugin that fails around a token leaves it in none of plexus's outputs.
    [SkippableTheory]
    [InlineData("echo 'oops token=TOKEN-4f2a9c' >&2; echo token=TOKEN-4f2a9c")]
    [InlineData("echo 'oops token=TOKEN-4f2a9c' >&2; exit 3")]
    public async Task Add_ExecCredentialPluginFailsAroundAToken_TokenInNoOutput(string plugin)
    {
        Skip.IfNot(PublishedPlexus.Exists, PublishedPlexus.NotPublished);
        var dir = Directory.CreateTempSubdirectory("plexus-app-").FullName;
        try
        {
            var script = Path.Combine(dir, "plugin.sh");
            File.WriteAllText(script, "#!/bin/sh\n" + plugin + "\n");
            File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var kubeconfig = Path.Combine(dir, "kubeconfig");
            File.WriteAllText(kubeconfig, $$$$"""
                apiVersion: v1
                clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]
                users: [{name: u, user: {exec: {apiVersion: client.authentication.k8s.io/v1, command: "{{{{script}}}}"}}}]
                contexts: [{name: x, context: {cluster: c, user: u}}]
                current-context: x
                """);
            var log = Path.Combine(dir, "plexus.log");
            var env = AddEnv();
            env["CNI_ARGS"] = "K8S_POD_NAMESPACE=ns1;K8S_POD_NAME=p1;K8S_POD_UID=u1";
            var config = $$"""
                {"cniVersion":"1.0.0","name":"n","type":"plexus","kubeconfig":"{{kubeconfig}}","logFile":"{{log}}","logLevel":"debug",
                 "logToStderr":true,"cniDir":"{{dir}}","delegates":[{"cniVersion":"1.0.0","name":"cbr0","type":"bridge"}]}
                """;

            var (exit, stdout, stderr) = await PublishedPlexus.RunAsync(env, config);

            Assert.NotEqual(0, exit);
            Assert.Contains($"cannot load kubeconfig {kubeconfig}: its exec credential plugin {script}", JsonNode.Parse(stdout)!["msg"]!.GetValue<string>());
            Assert.DoesNotContain("TOKEN-4f2a9c", stdout + stderr + File.ReadAllText(log));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static Dictionary<string, string> AddEnv() => new()
    {
        ["CNI_COMMAND"] = "ADD",
        ["CNI_CONTAINERID"] = "abc123",
        ["CNI_NETNS"] = "/var/run/netns/none",
        ["CNI_IFNAME"] = "eth0",
        ["CNI_PATH"] = "/usr/lib/cni",
    };
}
