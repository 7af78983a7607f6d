using Plexus.Daemon.Config;
using Plexus.Daemon.HostRoot;

namespace Plexus.Daemon.Tests.HostRoot;

public sealed class ContainerPathsTests
{
    private static readonly HashSet<string> NodeDirs = ["/etc/cni/net.d", "/opt/cni/bin", "/run/multus", "/", "/run", "/var", "/var/run"];

    private static IReadOnlyList<string> Problems(string json)
    {
        var (settings, errors) = DaemonSettingsParser.Parse(System.Text.Encoding.UTF8.GetBytes(json), _ => null);
        Assert.Empty(errors);
        return ContainerPaths.Problems(settings!, NodeDirs.Contains);
    }

    /// <summary>Multus's shipped daemon config, container paths and all, after plexusd moved into the node's root.</summary>
    [Fact]
    public void Problems_MultusContainerPaths_EachNamedWithTheNodesPath()
    {
        var problems = Problems("""
            {"chrootDir":"/hostroot","cniConfigDir":"/host/etc/cni/net.d","multusAutoconfigDir":"/host/etc/cni/net.d/","multusConfigFile":"auto","binDir":"/host/opt/cni/bin","socketDir":"/host/run/multus/"}
            """);

        Assert.Equal(
        [
            "binDir /host/opt/cni/bin does not exist on the node (plexusd has moved into chrootDir, so paths are the node's); write /opt/cni/bin",
            "confDir/cniConfigDir /host/etc/cni/net.d does not exist on the node (plexusd has moved into chrootDir, so paths are the node's); write /etc/cni/net.d",
            "multusAutoconfigDir /host/etc/cni/net.d/ does not exist on the node (plexusd has moved into chrootDir, so paths are the node's); write /etc/cni/net.d",
            "socketDir /host/run/multus/ is not on the node (plexusd has moved into chrootDir, so paths are the node's; it would create /host there and listen where no shim looks); write /run/multus",
        ], problems);
    }

    [Theory]
    [InlineData("""{"chrootDir":"/hostroot","cniConfigDir":"/etc/cni/net.d","multusConfigFile":"auto","binDir":"/opt/cni/bin"}""")]
    [InlineData("""{"chrootDir":"/hostroot","confDir":"/var/lib/rancher/k3s/agent/etc/cni/net.d","generateConfig":true}""")]
    [InlineData("""{"chrootDir":"/hostroot","binDir":"/nowhere/at/all"}""")]
    [InlineData("""{"chrootDir":"/hostroot","socketDir":"/run/plexus"}""")]
    [InlineData("""{"chrootDir":"/hostroot","socketDir":"/var/run/plexus/sockets"}""")]
    [InlineData("""{"chrootDir":"/hostroot","socketDir":"/plexus"}""")]
    [InlineData("""{"chrootDir":"/hostroot","socketDir":"/srv/plexus"}""")]
    public void Problems_NodePathsOrNoNodeDirBehind_None(string json)
    {
        Assert.Empty(Problems(json));
    }
}
