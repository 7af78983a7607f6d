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
        var env = new Dictionary<string, string>
        {
            ["CNI_COMMAND"] = "ADD",
            ["CNI_CONTAINERID"] = "abc123",
            ["CNI_NETNS"] = "/var/run/netns/none",
            ["CNI_IFNAME"] = "eth0",
            ["CNI_PATH"] = "/usr/lib/cni",
        };

        var (exit, stdout, _) = await PublishedPlexus.RunAsync(env, stdin);

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
}
