using Plexus.Core.DeviceInfo;

namespace Plexus.Core.Tests.DeviceInfo;

public sealed class DeviceInfoPathsTests
{
    private static readonly DeviceInfoPaths Paths = new(DeviceInfoPaths.NodeDefault);

    [Fact]
    public void ForDevicePlugin_SlashesFlattened_NpwgName()
    {
        Assert.Equal("/var/run/k8s.cni.cncf.io/devinfo/dp/intel.com-sriov-0000:03:00.2-device.json", Paths.ForDevicePlugin("intel.com/sriov", "0000:03:00.2"));
    }

    [Fact]
    public void ForAttachment_MultusName()
    {
        Assert.Equal("/var/run/k8s.cni.cncf.io/devinfo/cni/pods-sriov-a-c1_net1", Paths.ForAttachment("pods/sriov-a", "c1", "net1"));
    }

    [Theory]
    [InlineData("/var/run/k8s.cni.cncf.io/devinfo/cni/pods-a-c1_net1", true)]
    [InlineData("/var/run/k8s.cni.cncf.io/devinfo/cni/../dp/x", false)]
    [InlineData("/var/run/k8s.cni.cncf.io/devinfo/dp/x", false)]
    [InlineData("/etc/passwd", false)]
    public void IsAttachmentFile_OnlyFilesDirectlyInCniDir(string path, bool expected)
    {
        Assert.Equal(expected, Paths.IsAttachmentFile(path));
    }
}
