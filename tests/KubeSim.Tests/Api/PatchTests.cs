using System.Text.Json.Nodes;
using Plexus.KubeSim.Api;

namespace Plexus.KubeSim.Tests.Api;

public sealed class PatchTests
{
    [Fact]
    public void MergePatch_NullRemovesAndListsReplace()
    {
        var result = MergePatch.Apply(Json("""{"a":{"x":1,"y":2},"l":[1,2]}"""), Json("""{"a":{"x":null,"z":3},"l":[3]}"""), strategic: false);

        Assert.True(JsonNode.DeepEquals(Json("""{"a":{"y":2,"z":3},"l":[3]}"""), result));
    }

    [Fact]
    public void StrategicMerge_ContainersByName_MergedDirectivesHonoured()
    {
        var target = Json("""{"spec":{"containers":[{"name":"a","image":"1"},{"name":"b","image":"1"}],"finalizers":["f1"]}}""");
        var patch = Json("""
            {"spec":{"$setElementOrder/containers":[{"name":"a"},{"name":"c"}],
              "containers":[{"name":"a","image":"2"},{"name":"b","$patch":"delete"},{"name":"c","image":"3"}],
              "finalizers":["f2"],"$deleteFromPrimitiveList/finalizers":["f1"]}}
            """);

        var result = MergePatch.Apply(target, patch, strategic: true);

        Assert.True(JsonNode.DeepEquals(
            Json("""{"spec":{"containers":[{"name":"a","image":"2"},{"name":"c","image":"3"}],"finalizers":["f2"]}}"""), result),
            result!.ToJsonString());
    }

    [Fact]
    public void JsonPatch_Operations_AppliedInOrder()
    {
        var result = JsonPatch.Apply(Json("""{"metadata":{"annotations":{"a":"1"}},"l":[1]}"""), Json("""
            [{"op":"add","path":"/metadata/annotations/k8s.v1.cni.cncf.io~1networks","value":"x"},
             {"op":"replace","path":"/metadata/annotations/a","value":"2"},
             {"op":"add","path":"/l/-","value":2},
             {"op":"test","path":"/l/0","value":1},
             {"op":"move","from":"/metadata/annotations/a","path":"/moved"}]
            """));

        Assert.True(JsonNode.DeepEquals(
            Json("""{"metadata":{"annotations":{"k8s.v1.cni.cncf.io/networks":"x"}},"l":[1,2],"moved":"2"}"""), result),
            result.ToJsonString());
    }

    [Theory]
    [InlineData("""[{"op":"test","path":"/a","value":2}]""", 422)]
    [InlineData("""[{"op":"remove","path":"/missing"}]""", 422)]
    [InlineData("""[{"op":"jump","path":"/a"}]""", 422)]
    [InlineData("""{"op":"add"}""", 400)]
    public void JsonPatch_Failing_RefusedWithCode(string patch, int code)
    {
        var error = Assert.Throws<ApiException>(() => JsonPatch.Apply(Json("""{"a":1}"""), Json(patch)));
        Assert.Equal(code, error.Code);
    }

    private static JsonNode Json(string text) => JsonNode.Parse(text)!;
}
