using System.Text;
using Plexus.Cni;
using Plexus.Core.Config;
using Plexus.Core.Planning;

namespace Plexus.Core.Tests.Planning;

public sealed class SelectionPlannerTests
{
    private static MetaConfig Config(string extra = "") =>
        MetaConfigParser.Parse(Encoding.UTF8.GetBytes($$"""{"name":"m","type":"plexus","clusterNetwork":"cluster"{{extra}}}"""));

    private static PodSelections Plan(MetaConfig config, string ns, string? networks = null, string? defaultNetwork = null) =>
        SelectionPlanner.Plan(config, ns, key => key switch
        {
            "k8s.v1.cni.cncf.io/networks" => networks,
            "v1.multus-cni.io/default-network" => defaultNetwork,
            _ => null,
        });

    [Fact]
    public void Plan_NoAnnotations_NothingExtra()
    {
        var selections = Plan(Config(), "pods");

        Assert.Null(selections.ClusterNetworkOverride);
        Assert.False(selections.HasExtra);
    }

    [Fact]
    public void Plan_DefaultNetworksThenAnnotation_InOrder()
    {
        var selections = Plan(Config(""","defaultNetworks":["d1","/etc/cni/d2.conf"],"multusNamespace":"multus" """), "pods", "a,other/b@x");

        Assert.Equal(["d1", "/etc/cni/d2.conf"], selections.DefaultNetworks);
        Assert.Equal(["pods/a", "other/b"], selections.Requested.Select(s => s.QualifiedName).ToArray());
    }

    [Fact]
    public void Plan_DefaultNetworksWithStaticDelegates_IgnoredAsUpstream()
    {
        var config = MetaConfigParser.Parse(Encoding.UTF8.GetBytes(
            """{"name":"m","type":"plexus","delegates":[{"name":"lo","type":"loopback"}],"defaultNetworks":["d1"]}"""));

        var selections = Plan(config, "pods", "a");

        Assert.Empty(selections.DefaultNetworks);
        Assert.Equal(["pods/a"], selections.Requested.Select(s => s.QualifiedName).ToArray());
    }

    [Theory]
    [InlineData("kube-system", """ """)]
    [InlineData("infra", ""","systemNamespaces":["infra"] """)]
    public void Plan_SystemNamespace_SkipsDefaultNetworks(string ns, string extra)
    {
        var selections = Plan(Config(""","defaultNetworks":["d1"]""" + extra), ns, "a");

        Assert.Empty(selections.DefaultNetworks);
        Assert.Equal([$"{ns}/a"], selections.Requested.Select(s => s.QualifiedName).ToArray());
    }

    [Fact]
    public void Plan_DefaultNetworkAnnotation_OverridesInMultusNamespace()
    {
        var selections = Plan(Config(), "pods", defaultNetwork: "alt");

        Assert.Equal("kube-system/alt", selections.ClusterNetworkOverride!.QualifiedName);
    }

    [Theory]
    [InlineData("other/a", "other")]
    [InlineData("a,kube-system/b", "kube-system")]
    public void Plan_IsolationOtherNamespace_UpstreamError(string networks, string target)
    {
        var error = Assert.Throws<CniException>(() => Plan(Config(""","namespaceIsolation":true"""), "pods", networks));

        Assert.Equal(CniErrorCode.InvalidNetworkConfig, error.Code);
        Assert.Equal(
            $"namespace isolation enabled, annotation violates permission, pod is in namespace pods but refers to target namespace {target}",
            error.Message);
    }

    [Theory]
    [InlineData(""" """, "default/a,pods/b,c")]
    [InlineData(""","globalNamespaces":"shared,common" """, "shared/a,common/b,c")]
    public void Plan_IsolationOwnOrGlobalNamespace_Allowed(string extra, string networks)
    {
        var selections = Plan(Config(""","namespaceIsolation":true""" + extra), "pods", networks);

        Assert.Equal(3, selections.Requested.Count);
    }

    [Theory]
    [InlineData("tenant/alt", "tenant")]
    [InlineData("""[{"name":"alt","namespace":"tenant"}]""", "tenant")]
    public void Plan_IsolationDefaultNetworkInTenantNamespace_UpstreamError(string defaultNetwork, string target)
    {
        var error = Assert.Throws<CniException>(() => Plan(Config(""","namespaceIsolation":true"""), "pods", defaultNetwork: defaultNetwork));

        Assert.Equal(CniErrorCode.InvalidNetworkConfig, error.Code);
        Assert.Equal(
            $"namespace isolation enabled, annotation violates permission, pod is in namespace pods but refers to target namespace {target}",
            error.Message);
    }

    /// <summary>The admin keeps cluster networks in the multus namespace, which is not a global one for the other annotation.</summary>
    [Theory]
    [InlineData("alt", "kube-system/alt")]
    [InlineData("kube-system/alt", "kube-system/alt")]
    [InlineData("pods/alt", "pods/alt")]
    [InlineData("default/alt", "default/alt")]
    public void Plan_IsolationDefaultNetworkInMultusOwnOrGlobalNamespace_Allowed(string defaultNetwork, string expected)
    {
        var selections = Plan(Config(""","namespaceIsolation":true"""), "pods", defaultNetwork: defaultNetwork);

        Assert.Equal(expected, selections.ClusterNetworkOverride!.QualifiedName);
        Assert.Throws<CniException>(() => Plan(Config(""","namespaceIsolation":true"""), "pods", networks: "kube-system/alt"));
    }

    [Fact]
    public void Plan_GlobalNamespacesSet_ReplacesDefault()
    {
        var error = Assert.Throws<CniException>(() => Plan(Config(""","namespaceIsolation":true,"globalNamespaces":"shared" """), "pods", "default/a"));

        Assert.Contains("target namespace default", error.Message);
    }

    [Fact]
    public void Plan_IsolationOff_AnyNamespace()
    {
        Assert.Single(Plan(Config(), "pods", "elsewhere/a").Requested);
    }
}
