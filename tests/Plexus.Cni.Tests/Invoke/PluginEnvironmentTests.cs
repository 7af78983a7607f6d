using Plexus.Cni.Invoke;

namespace Plexus.Cni.Tests.Invoke;

public sealed class PluginEnvironmentTests
{
    [Fact]
    public void Apply_FullInvocation_SetsEveryCniVariable()
    {
        var environment = new Dictionary<string, string?> { ["PATH"] = "/usr/bin" };

        PluginEnvironment.Apply(environment, new PluginInvocation
        {
            PluginPath = "/opt/cni/bin/bridge",
            Command = "ADD",
            ContainerId = "c1",
            NetnsPath = "/run/netns/p",
            IfName = "net1",
            Args = CniArgs.Parse("IgnoreUnknown=1;K8S_POD_NAME=p"),
            PluginDirs = ["/opt/cni/bin", "/usr/lib/cni"],
        });

        Assert.Equal(new Dictionary<string, string?>
        {
            ["PATH"] = "/usr/bin",
            ["CNI_COMMAND"] = "ADD",
            ["CNI_CONTAINERID"] = "c1",
            ["CNI_NETNS"] = "/run/netns/p",
            ["CNI_IFNAME"] = "net1",
            ["CNI_ARGS"] = "IgnoreUnknown=1;K8S_POD_NAME=p",
            ["CNI_PATH"] = "/opt/cni/bin:/usr/lib/cni",
        }, environment);
    }

    [Fact]
    public void Apply_InheritedCniVariables_AreRemovedNotPassedOn()
    {
        var environment = new Dictionary<string, string?>
        {
            ["CNI_COMMAND"] = "ADD",
            ["CNI_CONTAINERID"] = "outer",
            ["CNI_NETNS"] = "/run/netns/outer",
            ["CNI_IFNAME"] = "eth0",
            ["CNI_ARGS"] = "K8S_POD_NAME=outer",
            ["CNI_PATH"] = "/outer",
            ["HOME"] = "/root",
        };

        PluginEnvironment.Apply(environment, new PluginInvocation { PluginPath = "/x/bridge", Command = "VERSION" });

        Assert.Equal(new Dictionary<string, string?> { ["CNI_COMMAND"] = "VERSION", ["HOME"] = "/root" }, environment);
    }
}
