using System.Text;
using System.Text.Json;

namespace Plexus.Kube.Tests;

public sealed class KubeObjectReaderTests
{
    private static byte[] Utf8(string json) => Encoding.UTF8.GetBytes(json);

    [Fact]
    public void ReadNadDocument_ApiServerAnswer_KeepsWhatPlexusReadsSkipsTheRest()
    {
        var nad = KubeObjectReader.ReadNadDocument(Utf8("""
            {
              "apiVersion": "k8s.cni.cncf.io/v1",
              "kind": "NetworkAttachmentDefinition",
              "metadata": {
                "name": "macvlan-a",
                "namespace": "team-a",
                "uid": "6f1c",
                "resourceVersion": "812",
                "generation": 1,
                "labels": {"app": "x"},
                "annotations": {"k8s.v1.cni.cncf.io/resourceName": "intel.com/sriov", "note": "caf\u00e9 \"q\""},
                "managedFields": [{"manager": "kubectl", "fieldsV1": {"f:spec": {".": {}}}, "time": null}]
              },
              "spec": {"config": "{\"cniVersion\":\"1.0.0\",\"type\":\"macvlan\"}", "other": [1, 2.5, true, null]},
              "status": {}
            }
            """))!;

        Assert.Equal(("macvlan-a", "team-a", "6f1c", "812"), (nad.Metadata!.Name, nad.Metadata.Namespace, nad.Metadata.Uid, nad.Metadata.ResourceVersion));
        Assert.Equal(new Dictionary<string, string> { ["k8s.v1.cni.cncf.io/resourceName"] = "intel.com/sriov", ["note"] = "café \"q\"" }, nad.Metadata.Annotations);
        Assert.Equal("""{"cniVersion":"1.0.0","type":"macvlan"}""", nad.Spec!.Config);
    }

    [Fact]
    public void ReadPodDocument_ApiServerAnswer_UidAndAnnotations()
    {
        var pod = KubeObjectReader.ReadPodDocument(Utf8("""
            {"kind":"Pod","metadata":{"name":"p1","namespace":"default","uid":"u-1",
             "annotations":{"k8s.v1.cni.cncf.io/networks":"a,b"}},"spec":{"containers":[{"name":"c"}]},"status":{"phase":"Pending"}}
            """))!;

        Assert.Equal("u-1", pod.Metadata!.Uid);
        Assert.Equal("a,b", pod.Metadata.Annotations!["k8s.v1.cni.cncf.io/networks"]);
    }

    [Fact]
    public void ReadNadDocument_EscapedPropertyNames_AreTheSameNames()
    {
        var nad = KubeObjectReader.ReadNadDocument(Utf8("""{"met\u0061data":{"n\u0061me":"a"},"spe\u0063":{"config":"c"}}"""))!;

        Assert.Equal(("a", "c"), (nad.Metadata!.Name, nad.Spec!.Config));
    }

    [Fact]
    public void ReadNadDocument_NullsAndMissingFields_AreNull()
    {
        var nulls = KubeObjectReader.ReadNadDocument(Utf8("""{"metadata":{"name":null,"annotations":null},"spec":null}"""))!;
        var empty = KubeObjectReader.ReadNadDocument(Utf8("{}"))!;

        Assert.Null(nulls.Metadata!.Name);
        Assert.Null(nulls.Metadata.Annotations);
        Assert.Null(nulls.Spec);
        Assert.Null(empty.Metadata);
        Assert.Null(empty.Spec);
        Assert.Null(KubeObjectReader.ReadNadDocument(Utf8("null")));
    }

    [Fact]
    public void ReadPodDocument_RepeatedField_LastOneWins()
    {
        var pod = KubeObjectReader.ReadPodDocument(Utf8("""{"metadata":{"uid":"first","uid":"second"}}"""))!;

        Assert.Equal("second", pod.Metadata!.Uid);
    }

    [Theory]
    [InlineData("", "does not contain any JSON tokens")]
    [InlineData("[]", "NetworkAttachmentDefinition is a JSON array, not an object")]
    [InlineData("\"nad\"", "NetworkAttachmentDefinition is a JSON string, not an object")]
    [InlineData("""{"metadata":[]}""", "NetworkAttachmentDefinition metadata is a JSON array, not an object")]
    [InlineData("""{"metadata":{"name":5}}""", "metadata.name is a JSON number, not a string")]
    [InlineData("""{"metadata":{"namespace":true}}""", "metadata.namespace is a JSON boolean, not a string")]
    [InlineData("""{"metadata":{"annotations":[]}}""", "metadata.annotations is a JSON array, not an object")]
    [InlineData("""{"metadata":{"annotations":{"a":1}}}""", "metadata.annotations[\"a\"] is a JSON number, not a string")]
    [InlineData("""{"metadata":{"annotations":{"a":null}}}""", "metadata.annotations[\"a\"] is a JSON null, not a string")]
    [InlineData("""{"spec":"x"}""", "NetworkAttachmentDefinition spec is a JSON string, not an object")]
    [InlineData("""{"spec":{"config":{"type":"bridge"}}}""", "spec.config is a JSON object, not a string")]
    [InlineData("""{} {}""", "after a single JSON value")]
    [InlineData("""{"metadata":""", "")]
    [InlineData("""{metadata:1}""", "")]
    public void ReadNadDocument_Malformed_JsonExceptionSayingWhat(string body, string expected)
    {
        var error = Assert.ThrowsAny<JsonException>(() => KubeObjectReader.ReadNadDocument(Utf8(body)));

        Assert.Contains(expected, error.Message);
    }

    [Theory]
    [InlineData("""{"metadata":{"name":"aÿ"}}""", "metadata.name is not valid UTF-8")]
    [InlineData("""{"metadata":{"annotations":{"kÿ":"v"}}}""", "a key of metadata.annotations is not valid UTF-8")]
    [InlineData("""{"metadata":{"annotations":{"k":"vÿ"}}}""", "metadata.annotations[\"k\"] is not valid UTF-8")]
    [InlineData("""{"spec":{"config":"{ÿ}"}}""", "spec.config is not valid UTF-8")]
    public void ReadNadDocument_InvalidUtf8InAString_JsonExceptionNamingTheField(string body, string expected)
    {
        // Latin-1 makes the ÿ a lone 0xFF byte, which no UTF-8 text contains (found by the kube-object fuzz target).
        var bytes = Encoding.Latin1.GetBytes(body);

        var error = Assert.ThrowsAny<JsonException>(() => KubeObjectReader.ReadNadDocument(bytes));

        Assert.Contains(expected, error.Message);
    }

    [Theory]
    [InlineData("[1]", "pod is a JSON array, not an object")]
    [InlineData("""{"metadata":{"uid":{}}}""", "metadata.uid is a JSON object, not a string")]
    [InlineData("""{"metadata":{"annotations":{"k8s.v1.cni.cncf.io/networks":["a"]}}}""", "is a JSON array, not a string")]
    public void ReadPodDocument_Malformed_JsonExceptionSayingWhat(string body, string expected)
    {
        var error = Assert.ThrowsAny<JsonException>(() => KubeObjectReader.ReadPodDocument(Utf8(body)));

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public async Task Converter_StreamedListInSmallBuffers_ReadsEveryObject()
    {
        // As plexusd streams a list: objects span buffers, and the converter gets a reader whose block is not final.
        var items = Enumerable.Range(0, 50).Select(i =>
            "{\"metadata\":{\"name\":\"n" + i + "\",\"namespace\":\"ns\",\"managedFields\":[{\"manager\":\"m\",\"fieldsV1\":{\"f:spec\":{}}}]}," +
            "\"spec\":{\"config\":\"c" + i + "\"},\"status\":{\"x\":[1,2,3]}}");
        using var body = new MemoryStream(Utf8("[" + string.Join(",", items) + "]"));

        var nads = await JsonSerializer.DeserializeAsync<List<NadResource>>(body, new JsonSerializerOptions { DefaultBufferSize = 64 });

        Assert.Equal(50, nads!.Count);
        Assert.Equal(("n49", "c49"), (nads[49].Metadata!.Name, nads[49].Spec!.Config));
    }

    [Fact]
    public void ReadNad_ReaderEndsInsideASkippedValue_JsonException()
    {
        var reader = new Utf8JsonReader(Utf8("""{"status":{"phase":"""), isFinalBlock: false, state: default);
        reader.Read();
        var failure = (JsonException?)null;

        try
        {
            KubeObjectReader.ReadNad(ref reader);
        }
        catch (JsonException e)
        {
            failure = e;
        }

        Assert.Contains("the JSON ends inside a value", failure?.Message);
    }
}
