using System.Text.Json.Nodes;
using Plexus.KubeSim.Api;
using Plexus.KubeSim.Api.Protobuf;
using Plexus.KubeSim.Discovery;
using static Plexus.KubeSim.Tests.Support.Proto;

namespace Plexus.KubeSim.Tests.Api.Protobuf;

/// <summary>
/// Well-formed bodies: kubectl v1.32.4's own request bytes (captured with -v=10) decode to the JSON
/// kubectl would have sent, and the wire rules (presence, merging, unknown fields) hold.
/// </summary>
public sealed class ProtobufBodyTests
{
    public static TheoryData<string, string, string> KubectlBodies => new()
    {
        {
            "Namespace",
            "6b3873000a0f0a02763112094e616d657370616365121e0a160a06676f6c64656e12001a0022002a0032003800420012001a020a001a002200",
            """{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"golden","creationTimestamp":null},"spec":{},"status":{}}"""
        },
        {
            "ConfigMap",
            "6b3873000a0f0a0276311209436f6e6669674d617012240a1a0a06676f6c64656e12001a0464656d6f22002a0032003800420012060a01611201621a002200",
            """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"golden","namespace":"demo","creationTimestamp":null},"data":{"a":"b"}}"""
        },
        {
            "Secret",
            "6b3873000a0c0a0276311206536563726574122d0a1a0a06676f6c64656e12001a0464656d6f22002a0032003800420012060a01701201711a07666f6f2f6261721a002200",
            """{"apiVersion":"v1","kind":"Secret","metadata":{"name":"golden","namespace":"demo","creationTimestamp":null},"data":{"p":"cQ=="},"type":"foo/bar"}"""
        },
        {
            "ServiceAccount",
            "6b3873000a140a027631120e536572766963654163636f756e74121c0a1a0a06676f6c64656e12001a0464656d6f22002a003200380042001a002200",
            """{"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"golden","namespace":"demo","creationTimestamp":null}}"""
        },
        {
            "Service",
            "6b3873000a0d0a027631120753657276696365129a010a290a06676f6c64656e12001a0464656d6f22002a003200380042005a0d0a036170701206676f6c64656e12690a1b0a0738302d38303830120354435018502207080010903f1a0028000a220a093434332d6874747073120354435018bb03220b080110001a0568747470732800120d0a036170701206676f6c64656e1a002209436c757374657249503a00420052005a00600068001a020a001a002200",
            """
            {"apiVersion":"v1","kind":"Service","metadata":{"name":"golden","namespace":"demo","labels":{"app":"golden"},"creationTimestamp":null},
             "spec":{"ports":[{"name":"80-8080","protocol":"TCP","port":80,"targetPort":8080},{"name":"443-https","protocol":"TCP","port":443,"targetPort":"https"}],
                     "selector":{"app":"golden"},"type":"ClusterIP"},"status":{"loadBalancer":{}}}
            """
        },
        {
            "Deployment",
            "6b3873000a150a07617070732f7631120a4465706c6f796d656e7412c9010a290a06676f6c64656e12001a0464656d6f22002a003200380042005a0d0a036170701206676f6c64656e128d010803120f0a0d0a036170701206676f6c64656e1a700a1f0a0012001a0022002a003200380042005a0d0a036170701206676f6c64656e124d122f0a056e67696e7812056e67696e782a00320b0a00100018903f22002a0042006a007200800100880100900100a201001a00320042004a0052005800600068008201008a01009a0100c2010022020a00280038001a0c0800100018002000280038001a002200",
            """
            {"kind":"Deployment","apiVersion":"apps/v1","metadata":{"name":"golden","namespace":"demo","creationTimestamp":null,"labels":{"app":"golden"}},
             "spec":{"replicas":3,"selector":{"matchLabels":{"app":"golden"}},"template":{"metadata":{"creationTimestamp":null,"labels":{"app":"golden"}},
             "spec":{"containers":[{"name":"nginx","image":"nginx","ports":[{"containerPort":8080}],"resources":{}}]}},"strategy":{}},"status":{}}
            """
        },
        {
            "SelfSubjectRulesReview",
            "6b3873000a310a17617574686f72697a6174696f6e2e6b38732e696f2f7631121653656c665375626a65637452756c657352657669657712200a100a0012001a0022002a0032003800420012060a0464656d6f1a04180022001a002200",
            """{"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectRulesReview","metadata":{"creationTimestamp":null},"spec":{"namespace":"demo"}}"""
        },
        {
            "RoleBinding",
            "6b3873000a2b0a1c726261632e617574686f72697a6174696f6e2e6b38732e696f2f7631120b526f6c6542696e64696e67128c010a1a0a06676f6c64656e12001a0464656d6f22002a0032003800420012280a04557365721219726261632e617574686f72697a6174696f6e2e6b38732e696f1a03626f622200121d0a0e536572766963654163636f756e7412001a03736131220464656d6f1a250a19726261632e617574686f72697a6174696f6e2e6b38732e696f1204526f6c651a0272311a002200",
            """
            {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"RoleBinding","metadata":{"name":"golden","namespace":"demo","creationTimestamp":null},
             "subjects":[{"kind":"User","apiGroup":"rbac.authorization.k8s.io","name":"bob"},{"kind":"ServiceAccount","name":"sa1","namespace":"demo"}],
             "roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"r1"}}
            """
        },
    };

    public static TheoryData<string, string> KubectlRequests
    {
        get
        {
            var requests = new TheoryData<string, string>();
            foreach (var row in KubectlBodies) requests.Add((string)row[0], (string)row[1]);
            return requests;
        }
    }

    [Theory]
    [MemberData(nameof(KubectlBodies))]
    public void Decode_KubectlBody_JsonKubectlWouldSend(string kind, string hex, string expected)
    {
        var json = ProtobufBody.Decode(Type(kind), Convert.FromHexString(hex));

        AssertJson(expected, json);
    }

    [Fact]
    public void Decode_UnknownFieldsOfEveryWireType_Skipped()
    {
        var raw = Concat(Int(99, 7), Fixed64(98), Fixed32(97), Text(96, "ignored"),
            Bytes(1, Concat(Text(1, "c"), Int(15, 3), Text(16, "also ignored"))), MapEntry(2, "k", "v"));

        var json = ProtobufBody.Decode(Type("ConfigMap"), Envelope("v1", "ConfigMap", raw));

        AssertJson("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"k":"v"}}""", json);
    }

    [Fact]
    public void Decode_PointerAndZeroScalars_OmittedPerJsonTag()
    {
        // generation 0 and an empty string are omitempty; a sent *bool false and a negative *int64 are kept.
        var metadata = Concat(Text(1, "c"), Text(2, ""), Int(7, 0), Int(10, -1));
        var raw = Concat(Bytes(1, metadata), Int(4, 0));

        var json = ProtobufBody.Decode(Type("ConfigMap"), Envelope("v1", "ConfigMap", raw));

        AssertJson("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","deletionGracePeriodSeconds":-1},"immutable":false}""", json);
    }

    [Fact]
    public void Decode_RepeatedSingularFields_LastScalarWinsMessagesMerge()
    {
        var raw = Concat(Bytes(1, Concat(Text(1, "first"), Text(3, "ns"))), Bytes(1, Text(1, "second")), Text(3, "a"), Text(3, "b"));

        var json = ProtobufBody.Decode(Type("Secret"), Envelope("v1", "Secret", raw));

        AssertJson("""{"apiVersion":"v1","kind":"Secret","metadata":{"name":"second","namespace":"ns"},"type":"b"}""", json);
    }

    [Fact]
    public void Decode_TimesBytesAndInvalidUtf8_AsGoWritesThemInJson()
    {
        var metadata = Concat(Text(1, "s"), Bytes(8, Concat(Int(1, 1_700_000_000), Int(2, 5))), Bytes(11, Concat(Text(1, "l"), Bytes(2, [0x61, 0xff]))));
        var raw = Concat(Bytes(1, metadata), Bytes(2, Concat(Text(1, "bin"), Bytes(2, [0, 1, 254, 255]))));

        var json = ProtobufBody.Decode(Type("Secret"), Envelope("v1", "Secret", raw));

        AssertJson("""{"apiVersion":"v1","kind":"Secret","metadata":{"name":"s","creationTimestamp":"2023-11-14T22:13:20Z","labels":{"l":"a\uFFFD"}},"data":{"bin":"AAH+/w=="}}""", json);
    }

    [Theory]
    [InlineData("RoleBinding", """{"subjects":[{"kind":"","name":""}],"roleRef":{"apiGroup":"","kind":"","name":""}}""")]
    [InlineData("Role", """{"rules":null}""")]
    public void Decode_FieldsWithoutOmitEmptyMissing_ZeroValuesShown(string kind, string expectedFields)
    {
        var raw = kind == "RoleBinding" ? Bytes(2, []) : [];

        var json = ProtobufBody.Decode(Type(kind), Envelope("rbac.authorization.k8s.io/v1", kind, raw));

        var expected = JsonNode.Parse(expectedFields)!.AsObject();
        expected["apiVersion"] = "rbac.authorization.k8s.io/v1";
        expected["kind"] = kind;
        AssertJson(expected.ToJsonString(), json);
    }

    [Fact]
    public void Decode_EnvelopeWithoutTypeMeta_UrlTypeAssumed()
    {
        byte[] body = [.. "k8s\0"u8, .. Bytes(2, Concat(Bytes(1, Text(1, "sa")), Int(4, 1)))];

        var json = ProtobufBody.Decode(Type("ServiceAccount"), body);

        AssertJson("""{"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"sa"},"automountServiceAccountToken":true}""", json);
    }

    [Fact]
    public void Decode_ResourceQuantitiesAndPointers_AsJson()
    {
        var limits = Concat(Text(1, "cpu"), Bytes(2, Text(1, "100m")));
        var container = Concat(Text(1, "c"), Bytes(8, Bytes(1, limits)), Text(24, "Always"));
        var spec = Concat(Bytes(2, container), Int(4, 0), Bytes(22, Concat(Text(1, "k"), Int(5, 30))));

        var json = ProtobufBody.Decode(Type("Pod"), Envelope("v1", "Pod", Bytes(2, spec)));

        AssertJson("""
            {"apiVersion":"v1","kind":"Pod","spec":{"containers":[{"name":"c","resources":{"limits":{"cpu":"100m"}},"restartPolicy":"Always"}],
             "terminationGracePeriodSeconds":0,"tolerations":[{"key":"k","tolerationSeconds":30}]}}
            """, json);
    }

    // What client-go's event recorder sends: every non-pointer field, empty ones included.
    [Fact]
    public void Decode_RecordedEvent_CoreEventJson()
    {
        var involved = Concat(Text(1, "Pod"), Text(2, "demo"), Text(3, "web"), Text(4, "0b1c"), Text(5, "v1"), Text(6, "42"), Text(7, ""));
        var raw = Concat(Bytes(1, Concat(Text(1, "web.17f"), Text(3, "demo"))), Bytes(2, involved), Text(3, "AddedInterface"),
            Text(4, "Add eth1 [10.1.1.5/24] from demo/macvlan"), Bytes(5, Concat(Text(1, "multus"), Text(2, ""))),
            Bytes(6, Int(1, 1_700_000_000)), Bytes(7, Int(1, 1_700_000_060)), Int(8, 2), Text(9, "Normal"), Bytes(10, []),
            Text(12, ""), Text(14, ""), Text(15, ""));

        var json = ProtobufBody.Decode(Type("Event"), Envelope("v1", "Event", raw));

        AssertJson("""
            {"apiVersion":"v1","kind":"Event","metadata":{"name":"web.17f","namespace":"demo"},
             "involvedObject":{"kind":"Pod","namespace":"demo","name":"web","uid":"0b1c","apiVersion":"v1","resourceVersion":"42"},
             "reason":"AddedInterface","message":"Add eth1 [10.1.1.5/24] from demo/macvlan","source":{"component":"multus"},
             "firstTimestamp":"2023-11-14T22:13:20Z","lastTimestamp":"2023-11-14T22:14:20Z","count":2,"type":"Normal","eventTime":null,
             "reportingComponent":"","reportingInstance":""}
            """, json);
    }

    [Fact]
    public void Decode_EventWithoutOptionalParts_FieldsWithoutOmitEmptyShown()
    {
        var json = ProtobufBody.Decode(Type("Event"), Envelope("v1", "Event", Bytes(1, Text(1, "e"))));

        AssertJson("""
            {"apiVersion":"v1","kind":"Event","metadata":{"name":"e"},"involvedObject":{},"source":{},"reportingComponent":"","reportingInstance":""}
            """, json);
    }

    [Fact]
    public void Decode_EventSeries_MicroTimesWithMicroseconds()
    {
        var raw = Concat(Bytes(1, Text(1, "e")), Bytes(10, Concat(Int(1, 1_700_000_000), Int(2, 123_456_789))),
            Bytes(11, Concat(Int(1, 3), Bytes(2, Int(1, 1_700_000_001)))), Text(14, "example.com/agent"), Text(15, "agent-1"));

        var json = ProtobufBody.Decode(Type("Event"), Envelope("v1", "Event", raw));

        Assert.Equal("2023-11-14T22:13:20.123456Z", json["eventTime"]!.GetValue<string>());
        Assert.Equal("""{"count":3,"lastObservedTime":"2023-11-14T22:13:21.000000Z"}""", json["series"]!.ToJsonString());
        Assert.Equal("example.com/agent", json["reportingComponent"]!.GetValue<string>());
    }

    // What client-go's leader election writes: pointers sent even when zero (leaseTransitions 0 is shown).
    [Fact]
    public void Decode_LeaderElectionLease_PointersAndMicroTimes()
    {
        var spec = Concat(Text(1, "node-1_5f2c"), Int(2, 15), Bytes(3, Concat(Int(1, 1_700_000_000), Int(2, 999_999))),
            Bytes(4, Concat(Int(1, 1_700_000_010), Int(2, 1_500))), Int(5, 0));
        var raw = Concat(Bytes(1, Concat(Text(1, "plexus-leader"), Text(3, "kube-system"))), Bytes(2, spec));

        var json = ProtobufBody.Decode(Type("Lease"), Envelope("coordination.k8s.io/v1", "Lease", raw));

        AssertJson("""
            {"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":"plexus-leader","namespace":"kube-system"},
             "spec":{"holderIdentity":"node-1_5f2c","leaseDurationSeconds":15,"acquireTime":"2023-11-14T22:13:20.000999Z",
                     "renewTime":"2023-11-14T22:13:30.000001Z","leaseTransitions":0}}
            """, json);
    }

    [Fact]
    public void Decode_ControllerEndpoints_AddressesAndPorts()
    {
        var address = Concat(Text(1, "10.1.1.5"), Bytes(2, Concat(Text(1, "Pod"), Text(2, "demo"), Text(3, "web"))), Text(4, "node-1"));
        var subset = Concat(Bytes(1, address), Bytes(2, Text(1, "10.1.1.6")), Bytes(3, Concat(Text(1, "http"), Int(2, 8080), Text(3, "TCP"))),
            Bytes(3, Text(3, "UDP")));
        var raw = Concat(Bytes(1, Text(1, "web")), Bytes(2, subset));

        var json = ProtobufBody.Decode(Type("Endpoints"), Envelope("v1", "Endpoints", raw));

        AssertJson("""
            {"apiVersion":"v1","kind":"Endpoints","metadata":{"name":"web"},"subsets":[{
             "addresses":[{"ip":"10.1.1.5","targetRef":{"kind":"Pod","namespace":"demo","name":"web"},"nodeName":"node-1"}],
             "notReadyAddresses":[{"ip":"10.1.1.6"}],"ports":[{"name":"http","port":8080,"protocol":"TCP"},{"port":0,"protocol":"UDP"}]}]}
            """, json);
    }

    [Fact]
    public void Decode_DaemonSetAndReplicaSet_TemplatesAndStatusCounters()
    {
        var template = Bytes(2, Bytes(2, Concat(Text(1, "agent"), Text(2, "plexus:1"))));
        var daemonSet = Concat(Bytes(1, Text(1, "plexus")),
            Bytes(2, Concat(Bytes(1, MapEntry(1, "app", "plexus")), Bytes(2, template), Bytes(3, Concat(Text(1, "RollingUpdate"),
                Bytes(2, Bytes(1, Concat(Int(1, 1), Text(3, "10%")))))), Int(6, 5))),
            Bytes(3, Concat(Int(3, 2), Bytes(10, Concat(Text(1, "Progressing"), Text(2, "True"))))));
        var replicaSet = Concat(Bytes(1, Text(1, "web-7d9")), Bytes(2, Concat(Int(1, 0), Bytes(3, template))), Bytes(3, Int(4, 1)));

        var ds = ProtobufBody.Decode(Type("DaemonSet"), Envelope("apps/v1", "DaemonSet", daemonSet));
        var rs = ProtobufBody.Decode(Type("ReplicaSet"), Envelope("apps/v1", "ReplicaSet", replicaSet));

        AssertJson("""
            {"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{"name":"plexus"},
             "spec":{"selector":{"matchLabels":{"app":"plexus"}},"template":{"spec":{"containers":[{"name":"agent","image":"plexus:1"}]}},
                     "updateStrategy":{"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":"10%"}},"revisionHistoryLimit":5},
             "status":{"currentNumberScheduled":0,"numberMisscheduled":0,"desiredNumberScheduled":2,"numberReady":0,
                       "conditions":[{"type":"Progressing","status":"True"}]}}
            """, ds);
        AssertJson("""
            {"apiVersion":"apps/v1","kind":"ReplicaSet","metadata":{"name":"web-7d9"},
             "spec":{"replicas":0,"template":{"spec":{"containers":[{"name":"agent","image":"plexus:1"}]}}},"status":{"replicas":0,"readyReplicas":1}}
            """, rs);
    }

    [Fact]
    public void Decode_LeaseTimeOutOfRangeOrMistyped_400NamesTheField()
    {
        var outOfRange = Bytes(2, Bytes(4, Concat(Int(1, 253_402_300_799), Int(2, 1_000_000_000))));
        var mistyped = Bytes(2, Bytes(3, Text(2, "soon")));

        var late = Assert.Throws<ApiException>(() => ProtobufBody.Decode(Type("Lease"), Envelope("coordination.k8s.io/v1", "Lease", outOfRange)));
        var wrong = Assert.Throws<ApiException>(() => ProtobufBody.Decode(Type("Lease"), Envelope("coordination.k8s.io/v1", "Lease", mistyped)));

        Assert.Equal("Lease in version \"v1\" cannot be handled as a Lease: protobuf: spec.renewTime: 253402300799 seconds is outside the years 1 to 9999", late.Message);
        Assert.Equal("Lease in version \"v1\" cannot be handled as a Lease: protobuf: spec.acquireTime: the time's nanos arrived with wire type 2, " +
            "but an int is sent with wire type 0", wrong.Message);
    }

    // What a kubelet registers: spec, capacity, conditions, addresses, daemon endpoints, node info.
    [Fact]
    public void Decode_KubeletNode_NodeJson()
    {
        var spec = Concat(Text(1, "10.244.1.0/24"), Text(7, "10.244.1.0/24"), Bytes(5, Concat(Text(1, "role"), Text(3, "NoSchedule"))));
        var status = Concat(Bytes(1, Concat(Text(1, "cpu"), Bytes(2, Text(1, "2")))), Bytes(2, Concat(Text(1, "pods"), Bytes(2, Text(1, "110")))),
            Bytes(4, Concat(Text(1, "Ready"), Text(2, "True"), Bytes(3, Int(1, 1_700_000_000)), Text(5, "KubeletReady"))),
            Bytes(5, Concat(Text(1, "InternalIP"), Text(2, "192.0.2.11"))), Bytes(6, Bytes(1, Int(1, 10250))),
            Bytes(7, Concat(Text(1, "m1"), Text(7, "v1.32.4"), Text(9, "linux"), Text(10, "amd64"))),
            Bytes(12, Concat(Text(1, ""), Bytes(2, Int(1, 1)))), Bytes(13, Int(1, 1)));
        var raw = Concat(Bytes(1, Concat(Text(1, "node-1"), MapEntry(11, "kubernetes.io/os", "linux"))), Bytes(2, spec), Bytes(3, status));

        var json = ProtobufBody.Decode(Type("Node"), Envelope("v1", "Node", raw));

        AssertJson("""
            {"apiVersion":"v1","kind":"Node","metadata":{"name":"node-1","labels":{"kubernetes.io/os":"linux"}},
             "spec":{"podCIDR":"10.244.1.0/24","podCIDRs":["10.244.1.0/24"],"taints":[{"key":"role","effect":"NoSchedule"}]},
             "status":{"capacity":{"cpu":"2"},"allocatable":{"pods":"110"},
                       "conditions":[{"type":"Ready","status":"True","lastHeartbeatTime":"2023-11-14T22:13:20Z","reason":"KubeletReady"}],
                       "addresses":[{"type":"InternalIP","address":"192.0.2.11"}],"daemonEndpoints":{"kubeletEndpoint":{"Port":10250}},
                       "nodeInfo":{"machineID":"m1","systemUUID":"","bootID":"","kernelVersion":"","osImage":"","containerRuntimeVersion":"",
                                   "kubeletVersion":"v1.32.4","kubeProxyVersion":"","operatingSystem":"linux","architecture":"amd64"},
                       "runtimeHandlers":[{"name":"","features":{"recursiveReadOnlyMounts":true}}],"features":{"supplementalGroupsPolicy":true}}}
            """, json);
    }

    [Fact]
    public void Decode_EventsV1Event_FieldsWithoutOmitEmptyShown()
    {
        var raw = Concat(Bytes(1, Concat(Text(1, "web.1"), Text(3, "demo"))), Bytes(2, Concat(Int(1, 1_700_000_000), Int(2, 250_000_000))),
            Bytes(3, Bytes(2, Int(1, 1_700_000_005))), Text(4, "example.com/agent"), Text(5, "agent-1"), Text(6, "Attach"), Text(7, "Attached"),
            Bytes(8, Concat(Text(1, "Pod"), Text(3, "web"))), Text(10, "eth1 attached"), Text(11, "Normal"), Bytes(13, []));

        var json = ProtobufBody.Decode(EventsV1Type, Envelope("events.k8s.io/v1", "Event", raw));

        AssertJson("""
            {"apiVersion":"events.k8s.io/v1","kind":"Event","metadata":{"name":"web.1","namespace":"demo"},"eventTime":"2023-11-14T22:13:20.250000Z",
             "series":{"count":0,"lastObservedTime":"2023-11-14T22:13:25.000000Z"},"reportingController":"example.com/agent","reportingInstance":"agent-1",
             "action":"Attach","reason":"Attached","regarding":{"kind":"Pod","name":"web"},"note":"eth1 attached","type":"Normal",
             "deprecatedSource":{},"deprecatedFirstTimestamp":null}
            """, json);
    }

    [Fact]
    public void Decode_NodeWithDynamicKubeletConfig_415NamesIt()
    {
        var error = Assert.Throws<ApiException>(() => ProtobufBody.Decode(Type("Node"), Envelope("v1", "Node", Bytes(2, Bytes(6, [])))));

        Assert.Equal(415, error.Code);
        Assert.StartsWith("kube-sim does not decode spec.configSource (field 6 of NodeSpec) from protobuf", error.Message);
    }

    [Fact]
    public void Decodes_CustomResourceDefinition_False() => Assert.False(ProtobufBody.Decodes(Type("CustomResourceDefinition")));

    private static ResourceType EventsV1Type => BuiltinResources.All.Single(t => t is { Kind: "Event", Group: "events.k8s.io" });

    internal static ResourceType Type(string kind) => BuiltinResources.All.Single(t => t.Kind == kind && t.Group != "events.k8s.io");

    internal static void AssertJson(string expected, JsonObject actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), actual), $"expected {expected}\nactual   {actual.ToJsonString()}");
}
