using System.Text;
using System.Text.Json.Nodes;
using Plexus.Cni.Config;
using Plexus.Cni.ConfFiles;
using Plexus.NodeAgent.Rendering;
using Plexus.NodeAgent.Selection;

namespace Plexus.NodeAgent.Tests.Rendering;

public sealed class ConfigRendererTests
{
    [Theory]
    [MemberData(nameof(Scenarios.Names), MemberType = typeof(Scenarios))]
    public void Render_Scenario_EmbedsThePrimaryUnchangedAsClusterNetwork(string scenario)
    {
        var primaryPath = Path.Combine(Scenarios.Root, scenario, Scenarios.Primaries[scenario]);
        var primary = NetworkConfigList.Parse(File.ReadAllBytes(primaryPath));

        var rendered = ConfigRenderer.Render(primary, new ConfigSettings());

        var root = (JsonObject)JsonNode.Parse(rendered.Bytes)!;
        Assert.Equal(primary.Raw["cniVersion"]!.GetValue<string>(), root["cniVersion"]!.GetValue<string>());
        var plugin = (JsonObject)Assert.Single(root["plugins"]!.AsArray())!;
        Assert.Equal("plexus", plugin["type"]!.GetValue<string>());
        var cluster = Assert.Single(plugin["delegates"]!.AsArray());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(File.ReadAllBytes(primaryPath)), cluster));
        Assert.Equal(0, Scenarios.Scan(cluster).MetaDepth);
        Assert.DoesNotContain("multus", cluster!.ToJsonString(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("plexus", cluster.ToJsonString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(1, Scenarios.Scan(root).MetaDepth);
        // The output is itself a valid conflist the runtime loads.
        ConfFileLoader.LoadList(ConfigSettings.DefaultFileName, rendered.Bytes);
    }

    [Fact]
    public void Render_SameInput_SameBytes()
    {
        var primary = Canal();

        var first = ConfigRenderer.Render(primary, new ConfigSettings()).Bytes!;
        var again = ConfigRenderer.Render(NetworkConfigList.FromJson((JsonObject)JsonNode.Parse(first)!["plugins"]![0]!["delegates"]![0]!.DeepClone()), new ConfigSettings()).Bytes!;

        Assert.Equal(first, again);
    }

    [Fact]
    public void Render_PrimaryCapabilities_AreUnionOfTrueOnes()
    {
        var primary = NetworkConfigList.Parse(Encoding.UTF8.GetBytes("{\"name\":\"n\",\"cniVersion\":\"1.0.0\",\"plugins\":[" +
            "{\"type\":\"a\",\"capabilities\":{\"portMappings\":true,\"ips\":false}}," +
            "{\"type\":\"b\",\"capabilities\":{\"bandwidth\":true,\"portMappings\":true,\"mac\":false}}]}"));

        Assert.Equal("{\"portMappings\":true,\"bandwidth\":true}", ConfigRenderer.Capabilities(primary).ToJsonString());
    }

    [Fact]
    public void Render_AllSettings_WritesMultusCompatibleKeys()
    {
        var settings = new ConfigSettings
        {
            PluginType = "plexus-shim",
            Kubeconfig = "/etc/cni/net.d/plexus.d/plexus.kubeconfig",
            NamespaceIsolation = true,
            GlobalNamespaces = "default,infra",
            LogLevel = "verbose",
            LogFile = "/var/log/plexus.log",
            LogToStderr = false,
            ReadinessIndicatorFile = "/run/ready",
            OverrideNetworkName = true,
        };

        var plugin = JsonNode.Parse(ConfigRenderer.Render(Canal(), settings).Bytes)!;

        Assert.Equal("k8s-pod-network", plugin["name"]!.GetValue<string>());
        var p = plugin["plugins"]![0]!;
        Assert.Equal("plexus-shim", p["type"]!.GetValue<string>());
        Assert.Equal("{\"portMappings\":true,\"bandwidth\":true}", p["capabilities"]!.ToJsonString());
        Assert.Equal(settings.Kubeconfig, p["kubeconfig"]!.GetValue<string>());
        Assert.Equal("/etc/cni/multus/net.d", p["confDir"]!.GetValue<string>());
        Assert.Equal("/var/lib/cni/multus", p["cniDir"]!.GetValue<string>());
        Assert.Equal("/opt/cni/bin", p["binDir"]!.GetValue<string>());
        Assert.True(p["namespaceIsolation"]!.GetValue<bool>());
        Assert.Equal("default,infra", p["globalNamespaces"]!.GetValue<string>());
        Assert.Equal("verbose", p["logLevel"]!.GetValue<string>());
        Assert.Equal("/var/log/plexus.log", p["logFile"]!.GetValue<string>());
        Assert.False(p["logToStderr"]!.GetValue<bool>());
        Assert.Equal("/run/ready", p["readinessindicatorfile"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("0.3.1", false, "0.3.1")]
    [InlineData("1.0.0", true, "1.0.0")]
    [InlineData(null, false, "0.3.1")]
    public void Render_CniVersion_FollowsPrimaryUnlessForced(string? requested, bool force, string expected)
    {
        var rendered = ConfigRenderer.Render(Canal(), new ConfigSettings { CniVersion = requested, ForceCniVersion = force });

        Assert.Equal(expected, JsonNode.Parse(rendered.Bytes)!["cniVersion"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("1.0.0", false, "--force-cni-version")]
    [InlineData("9.9.9", true, "not a CNI version Plexus supports")]
    public void Render_BadCniVersion_FailsWithReason(string requested, bool force, string reason)
    {
        var rendered = ConfigRenderer.Render(Canal(), new ConfigSettings { CniVersion = requested, ForceCniVersion = force });

        Assert.Null(rendered.Bytes);
        Assert.Contains(reason, rendered.Error);
    }

    [Fact]
    public void Render_NonAsciiAndHtmlCharacters_AreNotEscaped()
    {
        var primary = NetworkConfigList.Parse(Encoding.UTF8.GetBytes("{\"name\":\"n\",\"cniVersion\":\"1.0.0\",\"plugins\":[{\"type\":\"a\",\"note\":\"<b>&é\"}]}"));

        var text = Encoding.UTF8.GetString(ConfigRenderer.Render(primary, new ConfigSettings()).Bytes!);

        Assert.Contains("\"<b>&é\"", text);
    }

    private static NetworkConfigList Canal() =>
        NetworkConfigList.Parse(File.ReadAllBytes(Path.Combine(Scenarios.Root, "rke2-canal", "10-canal.conflist")));
}
