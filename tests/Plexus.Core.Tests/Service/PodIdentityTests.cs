using Plexus.Cni;
using Plexus.Core.Service;

namespace Plexus.Core.Tests.Service;

public sealed class PodIdentityTests
{
    [Fact]
    public void From_NamespaceNameAndUid_NamesThePod()
    {
        var identity = PodIdentity.From(CniArgs.Parse("IgnoreUnknown=1;K8S_POD_NAMESPACE=ns;K8S_POD_NAME=p;K8S_POD_UID=u"));

        Assert.NotNull(identity);
        Assert.Equal("ns/p", identity.Ref.ToString());
        Assert.Equal("u", identity.Uid);
        Assert.Null(PodIdentity.MissingReason(CniArgs.Parse("K8S_POD_NAMESPACE=ns;K8S_POD_NAME=p")));
    }

    [Fact]
    public void MissingReason_PodmanStyleNameOnly_SaysStaticNetworksOnly()
    {
        var args = CniArgs.Parse("IgnoreUnknown=1;K8S_POD_NAME=multi");

        Assert.Null(PodIdentity.From(args));
        var reason = PodIdentity.MissingReason(args);
        Assert.NotNull(reason);
        Assert.Contains("\"multi\" without K8S_POD_NAMESPACE", reason);
        Assert.Contains("static networks only", reason);
    }

    [Theory]
    [InlineData("")]
    [InlineData("K8S_POD_NAMESPACE=ns")]
    public void MissingReason_NoPodName_SaysNoPod(string cniArgs)
    {
        var args = CniArgs.Parse(cniArgs);

        Assert.Null(PodIdentity.From(args));
        Assert.Contains("name no pod", PodIdentity.MissingReason(args));
    }
}
