using System.Text.Json.Nodes;
using Plexus.Cni.Config;
using Plexus.Cni.Results;

namespace Plexus.Cni.Tests.Config;

public sealed class PluginStdinTests
{
    private static readonly NetworkConfigList List = NetworkConfigList.Parse("""
        {"cniVersion":"1.0.0","name":"chain","plugins":[
          {"type":"bridge","name":"ignored","bridge":"cni0"},
          {"type":"portmap","capabilities":{"portMappings":true,"bandwidth":false,"io.kubernetes.cri.pod-annotations":true},"runtimeConfig":{"old":1},"snat":true}]}
        """u8);

    private static readonly Dictionary<string, JsonNode?> Args = new()
    {
        ["portMappings"] = JsonNode.Parse("""[{"hostPort":80,"containerPort":8080,"protocol":"tcp"}]"""),
        ["bandwidth"] = JsonNode.Parse("""{"ingressRate":1}"""),
        ["mac"] = JsonValue.Create("0a:58:00:00:00:01"),
    };

    [Fact]
    public void Build_FirstPlugin_InjectsNameAndVersionInPlaceWithoutPrevResultOrRuntimeConfig()
    {
        var stdin = PluginStdin.Build(List, 0, prevResult: null, Args);

        Assert.Equal("""{"type":"bridge","name":"chain","bridge":"cni0","cniVersion":"1.0.0"}""", stdin.ToJsonString());
    }

    [Fact]
    public void Build_WithPrevResultAndCapabilities_InjectsFilteredRuntimeConfigAndConvertedResult()
    {
        var prev = CniResult.Parse(JsonNode.Parse("""{"cniVersion":"0.4.0","ips":[{"version":"4","address":"10.0.0.2/24"}]}"""), CniVersion.V040);

        var stdin = PluginStdin.Build(List, 1, prev, Args);

        Assert.Equal(
            """{"type":"portmap","capabilities":{"portMappings":true,"bandwidth":false,"io.kubernetes.cri.pod-annotations":true},"runtimeConfig":{"portMappings":[{"hostPort":80,"containerPort":8080,"protocol":"tcp"}]},"snat":true,"name":"chain","cniVersion":"1.0.0","prevResult":{"cniVersion":"1.0.0","ips":[{"address":"10.0.0.2/24"}]}}""",
            stdin.ToJsonString());
    }

    [Fact]
    public void Build_NoMatchingCapabilityArgs_LeavesRuntimeConfigAsWritten()
    {
        var stdin = PluginStdin.Build(List, 1, null, new Dictionary<string, JsonNode?> { ["bandwidth"] = JsonValue.Create(1) });

        Assert.Equal("""{"old":1}""", stdin["runtimeConfig"]!.ToJsonString());
    }

    [Fact]
    public void Build_DoesNotModifyTheList()
    {
        var before = List.Plugins[1].ToJsonString();

        PluginStdin.Build(List, 1, null, Args);

        Assert.Equal(before, List.Plugins[1].ToJsonString());
    }
}
