using System.Text.Json.Nodes;
using Plexus.KubeSim.Api;
using Plexus.KubeSim.Discovery;

namespace Plexus.KubeSim.Tests.Api;

public sealed class SelectorsTests
{
    private static readonly JsonObject Pod = JsonNode.Parse("""
        {"metadata":{"name":"p","namespace":"n","labels":{"app":"web","tier":"front"}},"spec":{"nodeName":"node-1"},
         "status":{"phase":"Running","podIP":"10.0.0.9","podIPs":[{"ip":"10.0.0.9"},{"ip":"fd00::9"}]}}
        """)!.AsObject();

    private static ResourceType Type(string group, string plural) => BuiltinResources.All.Single(t => t.Group == group && t.Plural == plural);

    private static readonly ResourceType Pods = Type("", "pods");

    [Theory]
    [InlineData("app=web", null, true)]
    [InlineData("app==web,tier=front", null, true)]
    [InlineData("app!=web", null, false)]
    [InlineData("app in (db,web)", null, true)]
    [InlineData("app notin (web)", null, false)]
    [InlineData("missing notin (x)", null, true)]
    [InlineData("tier", null, true)]
    [InlineData("!tier", null, false)]
    [InlineData(null, "spec.nodeName=node-1", true)]
    [InlineData(null, "spec.nodeName=node-2", false)]
    [InlineData(null, "metadata.name=p,metadata.namespace=n", true)]
    [InlineData(null, "status.phase!=Running", false)]
    [InlineData(null, "spec.serviceAccountName=", true)]
    [InlineData(null, "spec.hostNetwork=false", true)]
    [InlineData(null, "status.podIP=10.0.0.9", true)]
    [InlineData(null, "status.podIPs=10.0.0.9", true)]
    [InlineData("app=web", "spec.nodeName!=node-1", false)]
    public void Compile_Selector_MatchesLikeTheApiServer(string? labels, string? fields, bool expected)
    {
        Assert.Equal(expected, Selectors.Compile(Pods, labels, fields)(Pod));
    }

    [Theory]
    [InlineData("app in web", null)]
    [InlineData("bad key=x", null)]
    [InlineData(null, "spec.nodeName")]
    public void Compile_Malformed_BadRequest(string? labels, string? fields)
    {
        var error = Assert.Throws<ApiException>(() => Selectors.Compile(Pods, labels, fields));
        Assert.Equal(400, error.Code);
    }

    [Theory]
    [InlineData("", "pods", "spec.missing=x", "field label not supported: spec.missing")]
    [InlineData("", "pods", "metadata.labels=x", "field label not supported: metadata.labels")]
    [InlineData("", "events", "involvedObject.bogus=x", "field label not supported: involvedObject.bogus")]
    [InlineData("", "nodes", "metadata.namespace=x", "field label not supported: metadata.namespace")]
    [InlineData("", "configmaps", "data.k=v", "\"data.k\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"")]
    [InlineData("apps", "daemonsets", "spec.nodeName=x", "\"spec.nodeName\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"")]
    public void Compile_UnsupportedField_BadRequestWithServerWording(string group, string plural, string fields, string message)
    {
        var error = Assert.Throws<ApiException>(() => Selectors.Compile(Type(group, plural), null, fields));

        Assert.Equal(400, error.Code);
        Assert.Equal("BadRequest", error.Reason);
        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData("", "events", "involvedObject.name=p,involvedObject.kind=Pod,reason=AddedInterface,source=plexus,type=Normal", true)]
    [InlineData("", "events", "source=kubelet", false)]
    [InlineData("", "secrets", "type=Opaque", true)]
    [InlineData("", "nodes", "spec.unschedulable=false", true)]
    [InlineData("", "namespaces", "status.phase=Active", true)]
    [InlineData("apps", "daemonsets", "metadata.name=p,metadata.namespace=n", true)]
    public void Compile_SupportedField_MatchesServerFieldSet(string group, string plural, string fields, bool expected)
    {
        var obj = JsonNode.Parse("""
            {"metadata":{"name":"p","namespace":"n"},"type":"Normal","reason":"AddedInterface","source":{"component":"plexus"},
             "involvedObject":{"kind":"Pod","name":"p"},"status":{"phase":"Active"}}
            """)!.AsObject();
        if (plural == "secrets") obj["type"] = "Opaque";

        Assert.Equal(expected, Selectors.Compile(Type(group, plural), null, fields)(obj));
    }
}
