using System.Text;
using System.Text.Json.Nodes;
using Plexus.Core.Config;

namespace Plexus.Core.Tests.Config;

public sealed class MetaConfigOverlayTests
{
    private static JsonObject Node(string json) => JsonNode.Parse(json)!.AsObject();

    [Fact]
    public void From_DaemonConfig_TakesOnlyNodeWideMetaKeysEmptyOnesUnset()
    {
        var (overlay, errors) = MetaConfigOverlay.From(Node("""
            {"socketDir":"/run/multus","cniVersion":"0.3.1","name":"n","type":"t","confDir":"/etc/cni/net.d","delegates":[],
             "capabilities":{"portMappings":true},"chrootDir":"/hostroot","maxInFlight":8,"kubeconfig":"","logFile":null,
             "namespaceIsolation":true,"globalNamespaces":"a,b","clusterNetwork":"k8s-pod-network","logLevel":"error",
             "readinessindicatorfile":"/r","systemNamespaces":[],"logOptions":{"maxAge":1}}
            """), withReadiness: true);

        Assert.Empty(errors);
        Assert.Equal(
            """{"namespaceIsolation":true,"globalNamespaces":"a,b","clusterNetwork":"k8s-pod-network","logLevel":"error","readinessindicatorfile":"/r","systemNamespaces":[],"logOptions":{"maxAge":1}}""",
            overlay!.ToJsonString());
    }

    [Fact]
    public void From_ReadinessWatchedElsewhere_LeavesItOut()
    {
        Assert.Null(MetaConfigOverlay.From(Node("""{"readinessindicatorfile":"/r","socketDir":"/run/plexus"}"""), withReadiness: false).Overlay);
    }

    [Theory]
    [InlineData("""{"namespaceIsolation":"true"}""", "\"namespaceIsolation\" must be true or false, not \"true\"")]
    [InlineData("""{"clusterNetwork":7}""", "\"clusterNetwork\" must be a string, not 7")]
    [InlineData("""{"defaultNetworks":"a,b"}""", "\"defaultNetworks\" must be an array of strings, not \"a,b\"")]
    [InlineData("""{"systemNamespaces":["a",1]}""", "\"systemNamespaces\" must be an array of strings, not [\"a\",1]")]
    [InlineData("""{"logOptions":5}""", "\"logOptions\" must be an object, not 5")]
    [InlineData("""{"NamespaceIsolation":true}""", "\"NamespaceIsolation\": plexusd reads its keys in their exact case; write \"namespaceIsolation\"")]
    public void From_WrongTypeOrCase_NoOverlayAndTheKeyNamed(string json, string error)
    {
        var (overlay, errors) = MetaConfigOverlay.From(Node(json), withReadiness: true);

        Assert.Null(overlay);
        Assert.Equal(error, Assert.Single(errors).Message);
    }

    [Fact]
    public void Apply_RequestConfig_NodeValuesWinOverAnyCaseAndOtherKeysStay()
    {
        var overlay = Node("""{"namespaceIsolation":true,"clusterNetwork":"/etc/cni/net.d/10-calico.conflist"}""");
        var request = """{"cniVersion":"0.3.1","NamespaceIsolation":false,"namespaceisolation":false,"type":"multus-shim","x":1.50,"delegates":[{"type":"bridge","mtu":1.50}]}""";

        var merged = Encoding.UTF8.GetString(MetaConfigOverlay.Apply(Encoding.UTF8.GetBytes(request), overlay));

        Assert.Equal(
            """{"cniVersion":"0.3.1","type":"multus-shim","x":1.50,"delegates":[{"type":"bridge","mtu":1.50}],"namespaceIsolation":true,"clusterNetwork":"/etc/cni/net.d/10-calico.conflist"}""",
            merged);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("""{"a":1,"a":2}""")]
    public void Apply_NotOneJsonObject_BytesUnchangedForTheDispatchersOwnError(string request)
    {
        var bytes = Encoding.UTF8.GetBytes(request);

        Assert.Same(bytes, MetaConfigOverlay.Apply(bytes, Node("""{"logLevel":"error"}""")));
    }
}
