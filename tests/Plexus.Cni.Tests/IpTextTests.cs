namespace Plexus.Cni.Tests;

/// <summary>The strict, Go-compatible IP/CIDR text rules shared by results and selection elements.</summary>
public sealed class IpTextTests
{
    [Theory]
    [InlineData("10.1.2.3")]
    [InlineData("0.0.0.0")]
    [InlineData("255.255.255.255")]
    [InlineData("fd00::1")]
    [InlineData("::")]
    [InlineData("::ffff:10.0.0.1")]
    public void TryParseIp_GoAcceptsIt_True(string text) => Assert.True(IpText.TryParseIp(text, out _));

    [Theory]
    [InlineData("")]
    [InlineData("10")]
    [InlineData("10.1")]
    [InlineData("10.1.2")]
    [InlineData("0x7f.0.0.1")]
    [InlineData("10.1.2.256")]
    [InlineData("10.1.2.3.4")]
    [InlineData("1000.1.2.3")]
    [InlineData("fe80::1%eth0")]
    [InlineData("10.1.2.3/24")]
    [InlineData(" 10.1.2.3")]
    public void TryParseIp_GoRejectsIt_False(string text) => Assert.False(IpText.TryParseIp(text, out _));

    [Theory]
    [InlineData("10.1.0.5/24", 24)]
    [InlineData("10.1.0.0/0", 0)]
    [InlineData("10.1.0.5/32", 32)]
    [InlineData("fd00::5/64", 64)]
    [InlineData("fd00::5/128", 128)]
    public void TryParseCidr_HostBitsAllowed_PrefixRead(string text, int expectedPrefix)
    {
        Assert.True(IpText.TryParseCidr(text, out _, out var prefix));
        Assert.Equal(expectedPrefix, prefix);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("10.1.0.5")]
    [InlineData("10.1.0.5/")]
    [InlineData("10.1.0.5/33")]
    [InlineData("fd00::5/129")]
    [InlineData("10.1.0.5/-1")]
    [InlineData("10.1.0.5/+8")]
    [InlineData("10.1.0.5/0024")]
    [InlineData("/24")]
    [InlineData("10.1/24")]
    public void TryParseCidr_Invalid_False(string? text) => Assert.False(IpText.TryParseCidr(text, out _, out _));

    [Theory]
    [InlineData("10.1.0.5", true)]
    [InlineData("10.1.0.5/24", true)]
    [InlineData("10.1.0.5/40", false)]
    [InlineData("not-an-ip", false)]
    public void IsAddressOrCidr_EitherForm(string text, bool expected) => Assert.Equal(expected, IpText.IsAddressOrCidr(text));
}
