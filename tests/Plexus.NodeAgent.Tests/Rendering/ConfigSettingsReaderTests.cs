using Plexus.Cni.Config;
using Plexus.Cni.Json;
using Plexus.NodeAgent.Rendering;

namespace Plexus.NodeAgent.Tests.Rendering;

public sealed class ConfigSettingsReaderTests
{
    private const string Calico = "{\"name\":\"k8s-pod-network\",\"cniVersion\":\"0.3.1\",\"plugins\":[{\"type\":\"calico\"}]}";

    public static TheoryData<ConfigSettings> Settings => new()
    {
        new ConfigSettings(),
        new ConfigSettings
        {
            PluginType = "plexus-shim", NamespaceIsolation = true, GlobalNamespaces = "default,kube-system", LogLevel = "debug",
            LogFile = "/var/log/p.log", LogToStderr = false, Kubeconfig = "/k", ReadinessIndicatorFile = "/run/ready",
            NetConfDir = "/n", CniCacheDir = "/c", BinDir = "/b", DaemonSocketDir = "/s", DaemonSocketName = "multus.sock", NetworkName = "net",
        },
        new ConfigSettings { OverrideNetworkName = true, NetworkName = "k8s-pod-network" },
        new ConfigSettings { CniVersion = "1.0.0", ForceCniVersion = true },
    };

    [Theory]
    [MemberData(nameof(Settings))]
    public void Read_RenderedConfig_GivesBackItsSettings(ConfigSettings settings)
    {
        var bytes = ConfigRenderer.Render(NetworkConfigList.Parse(System.Text.Encoding.UTF8.GetBytes(Calico)), settings).Bytes!;

        var read = ConfigSettingsReader.Read(CniJson.ParseObject(bytes, "test"), settings.FileName);

        Assert.Equal(settings, read);
    }

    [Theory]
    [InlineData("{\"cniVersion\":\"0.3.1\",\"name\":\"m\",\"plugins\":[{\"type\":\"multus\"}]}")]
    [InlineData("{\"cniVersion\":\"0.3.1\",\"name\":\"m\"}")]
    [InlineData(Calico)]
    public void Read_NotAPlexusConfig_Null(string json) =>
        Assert.Null(ConfigSettingsReader.Read(CniJson.ParseObject(System.Text.Encoding.UTF8.GetBytes(json), "test"), ConfigSettings.DefaultFileName));
}
