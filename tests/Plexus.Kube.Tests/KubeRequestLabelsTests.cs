namespace Plexus.Kube.Tests;

public sealed class KubeRequestLabelsTests
{
    public static TheoryData<string, string, string, string> Requests => new()
    {
        // The requests Plexus sends, with the labels its dashboards already use.
        { "GET", "api/v1/namespaces/ns1/pods/web", "get", "pods" },
        { "PATCH", "api/v1/namespaces/ns1/pods/web/status", "patch", "pods/status" },
        { "POST", "api/v1/namespaces/ns1/events", "create", "events" },
        { "GET", "apis/k8s.cni.cncf.io/v1/namespaces/ns1/network-attachment-definitions/macvlan", "get", "network-attachment-definitions" },
        { "GET", "/api/v1/pods?fieldSelector=spec.nodeName%3Dnode-a&limit=500&continue=abc", "list", "pods" },
        { "GET", "/api/v1/pods?fieldSelector=spec.nodeName%3Dnode-a&watch=true&allowWatchBookmarks=true&resourceVersion=7", "watch", "pods" },
        { "GET", "/apis/k8s.cni.cncf.io/v1/network-attachment-definitions?limit=500", "list", "network-attachment-definitions" },
        { "GET", "/apis/k8s.cni.cncf.io/v1/network-attachment-definitions?watch=1", "watch", "network-attachment-definitions" },
        // The other verbs, as the API server's audit log names them.
        { "PUT", "api/v1/namespaces/ns1/configmaps/cm", "update", "configmaps" },
        { "DELETE", "api/v1/namespaces/ns1/pods/web", "delete", "pods" },
        { "DELETE", "api/v1/namespaces/ns1/pods", "deletecollection", "pods" },
        { "GET", "api/v1/namespaces/ns1/pods?watch=false", "list", "pods" },
        { "GET", "api/v1/namespaces/ns1/pods?labelSelector=watch%3Dtrue", "list", "pods" },
        // Cluster-scoped objects, and namespaces themselves with their own subresources.
        { "GET", "api/v1/nodes/node-a", "get", "nodes" },
        { "PATCH", "api/v1/nodes/node-a/status", "patch", "nodes/status" },
        { "POST", "apis/apiextensions.k8s.io/v1/customresourcedefinitions", "create", "customresourcedefinitions" },
        { "GET", "api/v1/namespaces", "list", "namespaces" },
        { "GET", "api/v1/namespaces/ns1", "get", "namespaces" },
        { "PUT", "api/v1/namespaces/ns1/finalize", "update", "namespaces/finalize" },
        { "PATCH", "apis/apps/v1/namespaces/ns1/daemonsets/plexus/status", "patch", "daemonsets/status" },
        // Paths that name no resource keep the method as the verb and an empty resource.
        { "GET", "version", "get", "" },
        { "GET", "api/v1", "get", "" },
        { "GET", "apis/k8s.cni.cncf.io/v1?watch=true", "get", "" },
        { "POST", "healthz/ping", "post", "" },
        { "GET", "", "get", "" },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public void Of_Request_VerbAndResourceAsTheApiServerNamesThem(string method, string uri, string verb, string resource)
    {
        Assert.Equal(new KubeRequestLabels(verb, resource), KubeRequestLabels.Of(new HttpMethod(method), uri));
    }
}
