namespace Plexus.Deploy.Tests;

/// <summary>The CRD is the NPWG one, so NADs written for Multus apply unchanged.</summary>
public sealed class CrdTests
{
    private static readonly Manifests Deploy = Manifests.LoadAll();

    [Fact]
    public void Crd_Shape_IsTheNpwgNetworkAttachmentDefinition()
    {
        var crd = Deploy.Get("CustomResourceDefinition", "network-attachment-definitions.k8s.cni.cncf.io");
        var spec = crd["spec"]!;
        var version = Assert.Single(Manifests.Objects(spec["versions"]));
        var config = version["schema"]!["openAPIV3Schema"]!["properties"]!["spec"]!["properties"]!["config"]!;

        Assert.Equal(("k8s.cni.cncf.io", "Namespaced"), (Manifests.Str(spec, "group"), Manifests.Str(spec, "scope")));
        Assert.Equal(("network-attachment-definitions", "NetworkAttachmentDefinition"),
            (Manifests.Str(spec["names"], "plural"), Manifests.Str(spec["names"], "kind")));
        // Multus's CRD (deployments/multus-daemonset*.yml) has both.
        Assert.Equal(["nad", "net-attach-def"], Manifests.Strings(spec["names"]!["shortNames"]));
        Assert.Equal(("v1", true, true), (Manifests.Str(version, "name"), version["served"]!.GetValue<bool>(), version["storage"]!.GetValue<bool>()));
        Assert.Equal("string", Manifests.Str(config, "type"));
    }

    [Fact]
    public void ExamplePod_NetworksAnnotation_SelectsTheExampleNad()
    {
        var nad = Assert.Single(Deploy.OfKind("NetworkAttachmentDefinition"));
        var pod = Assert.Single(Deploy.OfKind("Pod"));
        var selection = Manifests.Str(pod["metadata"]!["annotations"], "k8s.v1.cni.cncf.io/networks")!;
        var config = System.Text.Json.Nodes.JsonNode.Parse(Manifests.Str(nad["spec"], "config")!)!;

        Assert.Equal(Manifests.Str(nad["metadata"], "name"), selection.Split('@')[0]);
        Assert.Equal(Manifests.Str(nad["metadata"], "namespace"), Manifests.Str(pod["metadata"], "namespace"));
        Assert.Equal(Manifests.Str(nad["metadata"], "name"), Manifests.Str(config, "name"));
    }
}
