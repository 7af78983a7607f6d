using Plexus.Cni.Skel;

namespace Plexus.Cni.Tests.Skel;

/// <summary>The env check on its own, with required lists other than the skel's table (plexusd's <c>/delegate</c> has its own).</summary>
public sealed class CniEnvTests
{
    [Fact]
    public void Validate_NothingRequiredNorSet_Passes() => CniEnv.Validate(new Dictionary<string, string>(), []);

    [Fact]
    public void Validate_CallersOwnRequirements_NamesEveryUnsetOneInTheirOrder()
    {
        var env = new Dictionary<string, string> { [CniEnv.Netns] = "", [CniEnv.IfName] = "net1" };

        var error = Assert.Throws<CniException>(() => CniEnv.Validate(env, [CniEnv.Netns, CniEnv.IfName, CniEnv.ContainerId]));

        Assert.Equal(CniErrorCode.InvalidEnvironment, error.Code);
        Assert.Equal($"required env variables [{CniEnv.Netns}, {CniEnv.ContainerId}] missing", error.Message);
    }

    [Theory]
    [InlineData(CniEnv.ContainerId, "bad id", "invalid characters in CNI_CONTAINERID \"bad id\"")]
    [InlineData(CniEnv.IfName, "a/b", "invalid CNI_IFNAME")]
    public void Validate_MalformedValueNotRequired_StillCode4(string variable, string value, string expected)
    {
        var error = Assert.Throws<CniException>(() => CniEnv.Validate(new Dictionary<string, string> { [variable] = value }, []));

        Assert.Equal(CniErrorCode.InvalidEnvironment, error.Code);
        Assert.StartsWith(expected, error.Message);
    }

    [Fact]
    public void Validate_MissingBeforeMalformed_ReportsTheMissing()
    {
        var env = new Dictionary<string, string> { [CniEnv.ContainerId] = "bad id" };

        var error = Assert.Throws<CniException>(() => CniEnv.Validate(env, [CniEnv.Netns]));

        Assert.Contains($"[{CniEnv.Netns}] missing", error.Message);
    }
}
