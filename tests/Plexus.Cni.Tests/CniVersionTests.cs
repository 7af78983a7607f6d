namespace Plexus.Cni.Tests;

public sealed class CniVersionTests
{
    [Theory]
    [InlineData("0.1.0", 0, 1, 0)]
    [InlineData("0.3.1", 0, 3, 1)]
    [InlineData("1.1.0", 1, 1, 0)]
    [InlineData("", 0, 1, 0)]
    public void TryParse_ValidText_ParsesParts(string text, int major, int minor, int patch)
    {
        Assert.True(CniVersion.TryParse(text, out var version));
        Assert.Equal(new CniVersion(major, minor, patch), version);
    }

    [Theory]
    [InlineData("1.0")]
    [InlineData("1.0.0.0")]
    [InlineData("a.b.c")]
    [InlineData("1.-1.0")]
    [InlineData(" 1.0.0")]
    [InlineData("1.0.0 ")]
    [InlineData("01.0.0")]
    [InlineData("1.01.0")]
    [InlineData("1.1.00")]
    [InlineData("+1.0.0")]
    [InlineData("1.+1.0")]
    [InlineData("1..0")]
    [InlineData("1.0.")]
    [InlineData("1.\uFF11.0")]
    [InlineData("1234567890.0.0")]
    [InlineData("1.0.0\n")]
    public void Parse_MalformedOrNonCanonical_ThrowsDecodeError(string text)
    {
        var error = Assert.Throws<CniException>(() => CniVersion.Parse(text));
        Assert.Equal(CniErrorCode.DecodeFailure, error.Code);
        Assert.Contains(text, error.Message);
    }

    [Theory]
    [MemberData(nameof(SupportedTexts))]
    public void TryParse_EverySupportedVersion_RoundTripsExactly(string text)
    {
        Assert.True(CniVersion.TryParse(text, out var version));
        Assert.True(version.IsSupported);
        Assert.Equal(text, version.ToString());
    }

    public static TheoryData<string> SupportedTexts() => new(CniVersion.Supported.Select(v => v.ToString()));

    [Theory]
    [InlineData("10.20.30", 10, 20, 30)]
    [InlineData("0.0.0", 0, 0, 0)]
    [InlineData("999999999.0.0", 999999999, 0, 0)]
    public void TryParse_CanonicalUnknownVersion_ParsesForTheCallerToReject(string text, int major, int minor, int patch)
    {
        Assert.True(CniVersion.TryParse(text, out var version));
        Assert.Equal(new CniVersion(major, minor, patch), version);
        Assert.False(version.IsSupported);
    }

    [Fact]
    public void Compare_OrdersSemantically()
    {
        Assert.True(CniVersion.V031 > CniVersion.V030);
        Assert.True(CniVersion.V100 > CniVersion.V040);
        Assert.True(new CniVersion(0, 10, 0) > CniVersion.V040);
        Assert.False(CniVersion.V031.SupportsCheck);
        Assert.True(CniVersion.V040.SupportsCheck);
        Assert.True(CniVersion.V110.SupportsGcAndStatus);
        Assert.False(CniVersion.V100.SupportsGcAndStatus);
    }
}
