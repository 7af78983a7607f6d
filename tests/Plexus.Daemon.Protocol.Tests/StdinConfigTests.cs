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
    [InlineData("""{"cniVersion":"9.0.0"}""")]
    [InlineData("""{"cniVersion":"0.04.0"}""")]
    [InlineData("""{"cniVersion":1}""")]
    [InlineData("""{"daemonSocketDir":null,"daemonTimeoutSeconds":null}""")]
    public void Read_NoUsableVersion_AnswersInTheLatestWithDefaults(string stdin)
    {
        var config = StdinConfig.Read(Encoding.UTF8.GetBytes(stdin));

        Assert.Null(config.Unusable);
        Assert.Equal(("/run/plexus/plexus.sock", CniVersion.Latest, DaemonTimeouts.Default), (config.SocketPath, config.CniVersion, config.Timeouts));
    }

    [Theory]
    [InlineData("not json", "network config is not valid JSON")]
    [InlineData("", "network config is not valid JSON")]
    [InlineData("[1,2]", "network config must be a JSON object")]
    [InlineData("""{"name":"a","name":"b"}""", "network config is not valid JSON")]
    public void Read_NotAJsonObject_IsADecodeErrorAsInThinMode(string stdin, string message)
    {
        var config = StdinConfig.Read(Encoding.UTF8.GetBytes(stdin));

        Assert.Equal(CniErrorCode.DecodeFailure, config.Unusable?.Code);
        Assert.StartsWith(message, config.Unusable!.Message, StringComparison.Ordinal);
        Assert.Equal(CniVersion.Latest, config.CniVersion);
    }

    [Theory]
    [InlineData("""{"cniVersion":"0.4.0","daemonSocketDir":5}""", CniErrorCode.DecodeFailure, "$.daemonSocketDir: expected a string, got 5")]
    [InlineData("""{"cniVersion":"0.4.0","socketDir":true}""", CniErrorCode.DecodeFailure, "$.socketDir: expected a string, got true")]
    [InlineData("""{"cniVersion":"0.4.0","daemonSocketName":["a"]}""", CniErrorCode.DecodeFailure, "$.daemonSocketName: expected a string")]
    [InlineData("""{"cniVersion":"0.4.0","daemonSocketName":"../../etc/x"}""", CniErrorCode.InvalidNetworkConfig, "\"daemonSocketName\" must be a plain file name")]
    [InlineData("""{"cniVersion":"0.4.0","daemonSocketName":"x.lock"}""", CniErrorCode.InvalidNetworkConfig, "\"daemonSocketName\" must be a plain file name")]
    [InlineData("""{"cniVersion":"0.4.0","daemonTimeoutSeconds":"x"}""", CniErrorCode.InvalidNetworkConfig, "\"daemonTimeoutSeconds\" must be a positive number of seconds, not \"x\"")]
    [InlineData("""{"cniVersion":"0.4.0","daemonTimeoutSeconds":-5}""", CniErrorCode.InvalidNetworkConfig, "\"daemonTimeoutSeconds\" must be a positive number of seconds, not -5")]
    [InlineData("""{"cniVersion":"0.4.0","daemonConnectTimeoutSeconds":0}""", CniErrorCode.InvalidNetworkConfig, "\"daemonConnectTimeoutSeconds\" must be a positive number")]
    public void Read_UnusableDaemonKey_NamesTheKeyInTheConfigsVersion(string stdin, int code, string message)
    {
        var config = StdinConfig.Read(Encoding.UTF8.GetBytes(stdin));

        Assert.Equal(code, config.Unusable?.Code);
        Assert.Contains(message, config.Unusable!.Message, StringComparison.Ordinal);
        Assert.Equal(CniVersion.V040, config.CniVersion);
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
