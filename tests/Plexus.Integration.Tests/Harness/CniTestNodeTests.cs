using System.Text;
using Plexus.Cni.Invoke;
using Plexus.Linux.Netns;
using Plexus.Testing;

namespace Plexus.Integration.Tests.Harness;

[Trait("Category", "Root")]
public sealed class CniTestNodeTests
{
    [SkippableFact]
    public async Task CreateExecutor_RunsPluginInsideNodeNamespace()
    {
        Skip.IfNot(Environment.IsPrivilegedProcess, "needs root to create network namespaces");
        await using var node = await CniTestNode.CreateAsync(CancellationToken.None);
        var plugin = node.WriteStubPlugin("whereami", "readlink /proc/self/ns/net");

        var stdout = await node.CreateExecutor().ExecuteAsync(new PluginInvocation { PluginPath = plugin, Command = "VERSION" }, CancellationToken.None);

        var expected = await NetnsRunner.RunAsync(node.NetnsPath, () => new FileInfo("/proc/thread-self/ns/net").LinkTarget, CancellationToken.None);
        Assert.Equal(expected, Encoding.UTF8.GetString(stdout).Trim());
        Assert.NotEqual(new FileInfo("/proc/self/ns/net").LinkTarget, expected);
    }

    [SkippableFact]
    public async Task DisposeAsync_AfterPodsAndUplink_RemovesNamespacesLinksAndFiles()
    {
        Skip.IfNot(Environment.IsPrivilegedProcess, "needs root to create network namespaces");
        var hostLinks = await Ip.RunAsync(CancellationToken.None, "-br", "link");
        var node = await CniTestNode.CreateAsync(CancellationToken.None);
        var pod = await node.CreatePodAsync(CancellationToken.None);
        var uplink = await node.CreateUplinkAsync(CancellationToken.None);
        using (var netlink = node.OpenNetlink(node.NetnsPath, CancellationToken.None))
        {
            var link = netlink.FindLink(uplink, CancellationToken.None);
            Assert.Equal("veth", link?.Kind);
            Assert.True(link?.IsUp);
        }

        await node.DisposeAsync();

        Assert.False(File.Exists(pod));
        Assert.False(File.Exists(node.NetnsPath));
        Assert.False(Directory.Exists(node.Root));
        Assert.Equal(hostLinks, await Ip.RunAsync(CancellationToken.None, "-br", "link"));
    }
}
