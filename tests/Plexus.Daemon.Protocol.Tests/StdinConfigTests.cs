using System.Text;
using Plexus.Cni;

namespace Plexus.Daemon.Protocol.Tests;

public sealed class StdinConfigTests
{
    [Fact]
    public void Read_DaemonKeys_UsesThem()
    {
        var config = StdinConfig.Read("""
            {"cniVersion":"0.4.0","name":"plexus","daemonSocketDir":"/run/x","socketDir":"/run/multus",
             "daemonConnectTimeoutSeconds":0.5,"daemonTimeoutSeconds":3}
            """u8);

        Assert.Equal(new StdinConfig("/run/x/plexus.sock", CniVersion.V040, "plexus",
            new DaemonTimeouts(TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(3))), config);
    }

    [Fact]
    public void Read_MultusSocketDir_IsAnAlias()
    {
        Assert.Equal("/run/multus/plexus.sock", StdinConfig.Read("""{"socketDir":"/run/multus"}"""u8).SocketPath);
    }

    [Fact]
    public void Read_DaemonSocketName_ReplacesTheFileName()
    {
        Assert.Equal("/run/multus/multus.sock",
            StdinConfig.Read("""{"socketDir":"/run/multus","daemonSocketName":"multus.sock"}"""u8).SocketPath);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("""{"cniVersion":"one","daemonSocketDir":7,"daemonTimeoutSeconds":-1}""")]
    [InlineData("")]
    [InlineData("""{"cniVersion":"9.0.0"}""")]
    [InlineData("""{"cniVersion":"0.04.0"}""")]
    public void Read_UnusableInput_FallsBackToDefaults(string stdin)
    {
        var config = StdinConfig.Read(Encoding.UTF8.GetBytes(stdin));

        Assert.Equal("/run/plexus/plexus.sock", config.SocketPath);
        Assert.Equal(CniVersion.Latest, config.CniVersion);
        Assert.Equal(DaemonTimeouts.Default, config.Timeouts);
    }

    [Theory]
    [InlineData("1e20")]
    [InlineData("1.7976931348623157e308")]
    [InlineData("100000")]
    public void Read_HugeTimeout_ClampedToADay(string seconds)
    {
        var config = StdinConfig.Read(Encoding.UTF8.GetBytes($"{{\"daemonTimeoutSeconds\":{seconds},\"daemonConnectTimeoutSeconds\":{seconds}}}"));

        Assert.Equal(new DaemonTimeouts(TimeSpan.FromDays(1), TimeSpan.FromDays(1)), config.Timeouts);
    }

    [Fact]
    public void Read_InvalidUtf8InAValue_StillReadsTheKeys()
    {
        byte[] stdin = [.. "{\"cniVersion\":\"0.4.0\",\"name\":\"n"u8, 0xff, .. "\",\"daemonSocketDir\":\"/run/x\"}"u8];

        var config = StdinConfig.Read(stdin);

        Assert.Equal(("/run/x/plexus.sock", CniVersion.V040, "n\uFFFD"), (config.SocketPath, config.CniVersion, config.NetworkName));
    }
}
