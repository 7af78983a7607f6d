using System.Text.Json.Nodes;
using Plexus.KubeSim.Api;

namespace Plexus.KubeSim.Tests.Api;

public sealed class SelectorsTests
{
    private static readonly JsonObject Pod = JsonNode.Parse("""
        {"metadata":{"name":"p","namespace":"n","labels":{"app":"web","tier":"front"}},"spec":{"nodeName":"node-1"},"status":{"phase":"Running"}}
        """)!.AsObject();

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
    [InlineData(null, "spec.missing=", true)]
    [InlineData("app=web", "spec.nodeName!=node-1", false)]
    public void Compile_Selector_MatchesLikeTheApiServer(string? labels, string? fields, bool expected)
    {
        Assert.Equal(expected, Selectors.Compile(labels, fields)(Pod));
    }

    [Theory]
    [InlineData("app in web", null)]
    [InlineData("bad key=x", null)]
    [InlineData(null, "spec.nodeName")]
    public void Compile_Malformed_BadRequest(string? labels, string? fields)
    {
        var error = Assert.Throws<ApiException>(() => Selectors.Compile(labels, fields));
        Assert.Equal(400, error.Code);
    }
}
