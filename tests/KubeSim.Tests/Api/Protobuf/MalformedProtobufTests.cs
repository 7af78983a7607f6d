using Plexus.KubeSim.Api;
using Plexus.KubeSim.Api.Protobuf;
using static Plexus.KubeSim.Tests.Api.Protobuf.ProtobufBodyTests;
using static Plexus.KubeSim.Tests.Support.Proto;

namespace Plexus.KubeSim.Tests.Api.Protobuf;

/// <summary>Bad protobuf is a 400 that says what is wrong and where, never a crash or a half-read object.</summary>
public sealed class MalformedProtobufTests
{
    private const string Unrecognized = "the object provided is unrecognized (must be of type ConfigMap): protobuf: ";
    private const string CannotHandle = "ConfigMap in version \"v1\" cannot be handled as a ConfigMap: protobuf: ";

    public static TheoryData<string, byte[], string> EnvelopeErrors => new()
    {
        { "empty body", [], Unrecognized + "the body does not start with the envelope's \"k8s\\x00\" prefix" },
        { "JSON body", "{\"kind\":\"ConfigMap\"}"u8.ToArray(), Unrecognized + "the body does not start with the envelope's \"k8s\\x00\" prefix" },
        { "wrong magic", [.. "k8s\x01"u8, .. Bytes(2, [])], Unrecognized + "the body does not start with the envelope's \"k8s\\x00\" prefix" },
        { "truncated key varint", [.. "k8s\0"u8, 0x8a], Unrecognized + "the envelope: a varint runs past the end of the message" },
        { "overlong varint", [.. "k8s\0"u8, .. Enumerable.Repeat((byte)0xff, 11)], Unrecognized + "the envelope: a varint is longer than 10 bytes" },
        { "length past the end", [.. "k8s\0"u8, 0x12, 0x05, 0x0a, 0x02], Unrecognized + "the envelope: field 2 needs 5 bytes but only 2 remain" },
        { "huge length", [.. "k8s\0"u8, 0x12, .. Varint(ulong.MaxValue)], Unrecognized + "the envelope: field 2 needs 18446744073709551615 bytes but only 0 remain" },
        { "raw as varint", [.. "k8s\0"u8, .. Int(2, 1)], Unrecognized + "the envelope's field 2 arrived with wire type 0, but it is sent with wire type 2" },
        { "content encoding", [.. "k8s\0"u8, .. Bytes(2, []), .. Text(3, "gzip")], Unrecognized + "a contentEncoding of the raw object is not supported" },
        { "typeMeta kind as varint", [.. "k8s\0"u8, .. Bytes(1, Int(2, 1))], Unrecognized + "typeMeta.kind (field 2) arrived with wire type 0, but a string is sent with wire type 2" },
    };

    public static TheoryData<string, byte[], string> ObjectErrors => new()
    {
        { "metadata as varint", Int(1, 5), "metadata (field 1) arrived with wire type 0, but a message is sent with wire type 2" },
        { "name as varint", Bytes(1, Int(1, 5)), "metadata.name (field 1) arrived with wire type 0, but a string is sent with wire type 2" },
        { "immutable as bytes", Text(4, "yes"), "immutable (field 4) arrived with wire type 2, but a bool is sent with wire type 0" },
        { "generation as fixed64", Bytes(1, Fixed64(7)), "metadata.generation (field 7) arrived with wire type 1, but an int is sent with wire type 0" },
        { "data as fixed32", Fixed32(2), "data (field 2) arrived with wire type 5, but a map entry is sent with wire type 2" },
        { "map value as varint", Bytes(2, Concat(Text(1, "k"), Int(2, 1))), "data: a map entry's value arrived with wire type 0, but a string is sent with wire type 2" },
        { "binaryData key as varint", Bytes(3, Int(1, 1)), "binaryData: a map entry's key arrived with wire type 0, but a string is sent with wire type 2" },
        { "binaryData value as varint", Bytes(3, Int(2, 1)), "binaryData: a map entry's value arrived with wire type 0, but bytes is sent with wire type 2" },
        { "owner reference field", Bytes(1, Bytes(13, Concat(Int(6, 1), Int(5, 1)))), "metadata.ownerReferences[0].apiVersion (field 5) arrived with wire type 0, but a string is sent with wire type 2" },
        { "time seconds as bytes", Bytes(1, Bytes(8, Text(1, "now"))), "metadata.creationTimestamp: the time's seconds arrived with wire type 2, but an int is sent with wire type 0" },
        { "time out of range", Bytes(1, Bytes(8, Int(1, long.MaxValue))), "metadata.creationTimestamp: 9223372036854775807 seconds is outside the years 1 to 9999" },
        { "group wire type", [0x0b], "ConfigMap: field 1 has wire type 3, which is not supported" },
        { "invalid wire type 7", Bytes(1, [0x0f]), "metadata: field 1 has wire type 7, which is not supported" },
        { "field number 0", [0x02, 0x00], "ConfigMap: field number 0 is out of range" },
        { "truncated nested varint", Bytes(1, [0x38]), "metadata: a varint runs past the end of the message" },
        { "nested length past end", Bytes(1, [0x0a, 0x09, 0x61]), "metadata: field 1 needs 9 bytes but only 1 remain" },
    };

    [Theory]
    [MemberData(nameof(EnvelopeErrors))]
    public void Decode_BadEnvelope_400Unrecognized(string what, byte[] body, string message)
    {
        var error = Assert.Throws<ApiException>(() => ProtobufBody.Decode(Type("ConfigMap"), body));

        Assert.True(error is { Code: 400, Reason: "BadRequest" }, what);
        Assert.Equal(message, error.Message);
    }

    [Theory]
    [MemberData(nameof(ObjectErrors))]
    public void Decode_BadObject_400NamesTheField(string what, byte[] raw, string message)
    {
        var error = Assert.Throws<ApiException>(() => ProtobufBody.Decode(Type("ConfigMap"), Envelope("v1", "ConfigMap", raw)));

        Assert.True(error is { Code: 400, Reason: "BadRequest" }, what);
        Assert.Equal(CannotHandle + message, error.Message);
    }

    [Theory]
    [InlineData("v1", "Secret", "the kind in the data (Secret) does not match the expected kind (ConfigMap)")]
    [InlineData("v2", "ConfigMap", "the API version in the data (v2) does not match the expected API version (v1)")]
    public void Decode_EnvelopeNamesAnotherType_400AsForJson(string apiVersion, string kind, string message)
    {
        var error = Assert.Throws<ApiException>(() => ProtobufBody.Decode(Type("ConfigMap"), Envelope(apiVersion, kind, Bytes(1, Text(1, "c")))));

        Assert.Equal(400, error.Code);
        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData(2, "spec.ports[0].targetPort: the int-or-string's field 2 arrived with wire type 2, but it is sent with wire type 0")]
    [InlineData(3, "spec.ports[0].targetPort: the int-or-string's field 3 arrived with wire type 0, but it is sent with wire type 2")]
    public void Decode_BadIntOrString_400NamesTheField(int field, string message)
    {
        var targetPort = field == 2 ? Text(2, "80") : Int(3, 80);
        var raw = Bytes(2, Bytes(1, Concat(Int(3, 80), Bytes(4, targetPort))));

        var error = Assert.Throws<ApiException>(() => ProtobufBody.Decode(Type("Service"), Envelope("v1", "Service", raw)));

        Assert.Equal(400, error.Code);
        Assert.Equal("Service in version \"v1\" cannot be handled as a Service: protobuf: " + message, error.Message);
    }

    [Theory]
    [InlineData("Pod", "spec.volumes (field 1 of PodSpec)")]
    [InlineData("Pod", "spec.containers[0].securityContext (field 15 of Container)")]
    [InlineData("Pod", "spec.containers[0].env[0].valueFrom (field 3 of EnvVar)")]
    [InlineData("Deployment", "spec.template.spec.affinity (field 18 of PodSpec)")]
    [InlineData("ConfigMap", "metadata.managedFields (field 17 of ObjectMeta)")]
    [InlineData("Job", "spec.podFailurePolicy (field 11 of JobSpec)")]
    [InlineData("CronJob", "spec.jobTemplate.spec.successPolicy (field 16 of JobSpec)")]
    [InlineData("PodDisruptionBudget", "status.disruptedPods (field 2 of PodDisruptionBudgetStatus)")]
    public void Decode_FieldTheSimulatorDoesNotDecode_415NamesItNothingDropped(string kind, string field)
    {
        var raw = field switch
        {
            "spec.volumes (field 1 of PodSpec)" => Bytes(2, Bytes(1, Text(1, "v"))),
            "spec.containers[0].securityContext (field 15 of Container)" => Bytes(2, Bytes(2, Concat(Text(1, "c"), Bytes(15, [])))),
            "spec.containers[0].env[0].valueFrom (field 3 of EnvVar)" =>
                Bytes(2, Bytes(2, Concat(Text(1, "c"), Bytes(7, Concat(Text(1, "E"), Bytes(3, [])))))),
            "spec.template.spec.affinity (field 18 of PodSpec)" => Bytes(2, Bytes(3, Bytes(2, Bytes(18, [])))),
            "spec.podFailurePolicy (field 11 of JobSpec)" => Bytes(2, Bytes(11, [])),
            "spec.jobTemplate.spec.successPolicy (field 16 of JobSpec)" => Bytes(2, Concat(Text(1, "@daily"), Bytes(5, Bytes(2, Bytes(16, []))))),
            "status.disruptedPods (field 2 of PodDisruptionBudgetStatus)" => Bytes(3, Bytes(2, Concat(Text(1, "pod-a"), Bytes(2, [])))),
            _ => Bytes(1, Concat(Text(1, "c"), Bytes(17, Text(1, "kubectl")))),
        };
        var apiVersion = kind switch
        {
            "Deployment" => "apps/v1",
            "Job" or "CronJob" => "batch/v1",
            "PodDisruptionBudget" => "policy/v1",
            _ => "v1",
        };

        var error = Assert.Throws<ApiException>(() => ProtobufBody.Decode(Type(kind), Envelope(apiVersion, kind, raw)));

        Assert.True(error is { Code: 415, Reason: "UnsupportedMediaType" }, error.Message);
        Assert.Equal($"kube-sim does not decode {field} from protobuf: send this {kind} as JSON (kubectl create -f or apply -f)", error.Message);
    }

    [Fact]
    public void Decode_QuantityAsVarint_400()
    {
        var raw = Bytes(2, Bytes(2, Concat(Text(1, "c"), Bytes(8, Bytes(2, Concat(Text(1, "cpu"), Int(2, 1)))))));

        var error = Assert.Throws<ApiException>(() => ProtobufBody.Decode(Type("Pod"), Envelope("v1", "Pod", raw)));

        Assert.Equal(400, error.Code);
        Assert.Equal("Pod in version \"v1\" cannot be handled as a Pod: protobuf: spec.containers[0].resources.requests: a map entry's value " +
            "arrived with wire type 0, but a quantity is sent with wire type 2", error.Message);
    }

    /// <summary>Every prefix and many single-byte corruptions of a real body: an object or a 400, nothing else.</summary>
    [Theory]
    [MemberData(nameof(ProtobufBodyTests.KubectlRequests), MemberType = typeof(ProtobufBodyTests))]
    public void Decode_TruncatedOrCorruptedKubectlBody_ObjectOr400(string kind, string hex)
    {
        var body = Convert.FromHexString(hex);
        var type = Type(kind);
        var random = new Random(1127);
        var bodies = Enumerable.Range(0, body.Length).Select(n => body[..n]).ToList();
        for (var i = 0; i < 500; i++)
        {
            var corrupted = (byte[])body.Clone();
            corrupted[random.Next(4, corrupted.Length)] = (byte)random.Next(256);
            bodies.Add(corrupted);
        }

        foreach (var candidate in bodies)
        {
            try
            {
                Assert.NotNull(ProtobufBody.Decode(type, candidate));
            }
            catch (ApiException e)
            {
                // 415 only for a corruption that lands on a real field the simulator does not decode.
                Assert.True(e.Code is 400 or 415, $"{Convert.ToHexString(candidate)}: {e.Code} {e.Message}");
            }
        }
    }
}
