using Plexus.KubeSim.Api;

namespace Plexus.KubeSim.Tests.Api;

public sealed class ApiPathTests
{
    [Theory]
    [InlineData("/api/v1/pods", "", "v1", null, "pods", null, null)]
    [InlineData("/api/v1/namespaces", "", "v1", null, "namespaces", null, null)]
    [InlineData("/api/v1/namespaces/kube-system", "", "v1", null, "namespaces", "kube-system", null)]
    [InlineData("/api/v1/namespaces/kube-system/status", "", "v1", null, "namespaces", "kube-system", "status")]
    [InlineData("/api/v1/namespaces/ns/pods/p/status", "", "v1", "ns", "pods", "p", "status")]
    [InlineData("/apis/k8s.cni.cncf.io/v1/namespaces/ns/network-attachment-definitions", "k8s.cni.cncf.io", "v1", "ns",
        "network-attachment-definitions", null, null)]
    [InlineData("/apis/rbac.authorization.k8s.io/v1/clusterroles/system%3Anode", "rbac.authorization.k8s.io", "v1", null,
        "clusterroles", "system:node", null)]
    public void Parse_ResourceUrl_SplitsParts(string url, string group, string version, string? ns, string resource, string? name, string? sub)
    {
        Assert.Equal(new ApiPath(group, version, ns, resource, name, sub), ApiPath.Parse(url));
    }

    [Theory]
    [InlineData("/api")]
    [InlineData("/apis/apps")]
    [InlineData("/healthz")]
    [InlineData("/api/v1/namespaces/ns/pods/p/status/extra")]
    [InlineData("/api/v1//pods")]
    public void Parse_NotAResourceUrl_Null(string url)
    {
        Assert.Null(ApiPath.Parse(url));
    }
}
