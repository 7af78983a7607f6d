namespace Plexus.Cni.Tests;

public sealed class CniArgsTests
{
    [Fact]
    public void Parse_KubernetesArgs_KeepsOrderAndValues()
    {
        var args = CniArgs.Parse("IgnoreUnknown=1;K8S_POD_NAMESPACE=ns;K8S_POD_NAME=p;K8S_POD_INFRA_CONTAINER_ID=id;K8S_POD_UID=uid");

        Assert.True(args.IgnoreUnknown);
        Assert.Equal("ns", args.Get("K8S_POD_NAMESPACE"));
        Assert.Equal("uid", args.Get("K8S_POD_UID"));
        Assert.Null(args.Get("missing"));
        Assert.Equal(["IgnoreUnknown", "K8S_POD_NAMESPACE", "K8S_POD_NAME", "K8S_POD_INFRA_CONTAINER_ID", "K8S_POD_UID"], args.Pairs.Select(p => p.Key));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Parse_NullOrEmpty_IsEmpty(string? text)
    {
        Assert.Empty(CniArgs.Parse(text).Pairs);
    }

    [Theory]
    [InlineData("A=1;B=2")]
    [InlineData("A=")]
    [InlineData("A=1;A=2")]
    public void Format_ParsedText_RoundTrips(string text)
    {
        Assert.Equal(text, CniArgs.Parse(text).Format());
    }

    [Theory]
    [InlineData("A")]
    [InlineData("A=1;")]
    [InlineData(";A=1")]
    [InlineData("A=1=2")]
    [InlineData("=1")]
    [InlineData("A=1;;B=2")]
    public void Parse_MalformedPair_ThrowsInvalidEnvironmentNamingCniArgs(string text)
    {
        var error = Assert.Throws<CniException>(() => CniArgs.Parse(text));

        Assert.Equal(CniErrorCode.InvalidEnvironment, error.Code);
        Assert.Contains("CNI_ARGS", error.Message);
    }

    [Fact]
    public void Get_DuplicateKey_LastWins()
    {
        Assert.Equal("2", CniArgs.Parse("A=1;A=2").Get("A"));
    }

    [Theory]
    [InlineData("IgnoreUnknown=true", true)]
    [InlineData("IgnoreUnknown=0", false)]
    [InlineData("A=1", false)]
    public void IgnoreUnknown_Value_Interpreted(string text, bool expected)
    {
        Assert.Equal(expected, CniArgs.Parse(text).IgnoreUnknown);
    }

    [Fact]
    public void With_ExistingKey_ReplacesInPlaceAndDropsDuplicates()
    {
        var args = CniArgs.Parse("A=1;B=2;A=3").With("A", "9").With("C", "4");

        Assert.Equal("A=9;B=2;C=4", args.Format());
    }

    [Theory]
    [InlineData("A;B", "1")]
    [InlineData("", "1")]
    [InlineData("A", "1=2")]
    public void Constructor_InvalidPair_Throws(string key, string value)
    {
        Assert.Throws<ArgumentException>(() => new CniArgs([new(key, value)]));
    }

    [Fact]
    public void Equals_SamePairs_AreEqual()
    {
        Assert.Equal(CniArgs.Parse("A=1;B=2"), CniArgs.Parse("A=1;B=2"));
        Assert.NotEqual(CniArgs.Parse("A=1;B=2"), CniArgs.Parse("B=2;A=1"));
    }
}
