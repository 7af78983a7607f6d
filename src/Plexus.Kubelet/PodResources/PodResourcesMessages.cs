using Plexus.Core.Ports;
using Plexus.Kubelet.Protobuf;

namespace Plexus.Kubelet.PodResources;

/// <summary>
/// The messages of the kubelet's <c>v1.PodResourcesLister</c> service (k8s.io/kubelet
/// <c>pkg/apis/podresources/v1/api.proto</c>) that device lookup needs, by field number:
/// <code>
/// GetPodResourcesRequest   { string pod_name = 1; string pod_namespace = 2; }
/// GetPodResourcesResponse  { PodResources pod_resources = 1; }
/// ListPodResourcesRequest  { }
/// ListPodResourcesResponse { repeated PodResources pod_resources = 1; }
/// PodResources             { string name = 1; string namespace = 2; repeated ContainerResources containers = 3; }
/// ContainerResources       { string name = 1; repeated ContainerDevices devices = 2; … (cpu_ids, memory, dynamic_resources skipped) }
/// ContainerDevices         { string resource_name = 1; repeated string device_ids = 2; TopologyInfo topology = 3 (skipped); }
/// </code>
/// Unknown fields are skipped, as protobuf requires, so newer kubelets stay readable.
/// </summary>
internal static class PodResourcesMessages
{
    public const string GetMethod = "/v1.PodResourcesLister/Get";
    public const string ListMethod = "/v1.PodResourcesLister/List";

    public static byte[] GetRequest(PodRef pod) => new ProtoWriter().String(1, pod.Name).String(2, pod.Namespace).ToArray();

    public static byte[] ListRequest() => [];

    /// <summary>The pod of a Get response; null when the response carries none.</summary>
    public static PodResourcesEntry? ReadGetResponse(ReadOnlySpan<byte> data)
    {
        // proto3 merges repeated occurrences of a singular message field.
        var pods = ReadPods(data, "GetPodResourcesResponse");
        return pods.Count == 0 ? null : pods.Aggregate(Merge);
    }

    public static IReadOnlyList<PodResourcesEntry> ReadListResponse(ReadOnlySpan<byte> data) => ReadPods(data, "ListPodResourcesResponse");

    private static List<PodResourcesEntry> ReadPods(ReadOnlySpan<byte> data, string message)
    {
        var pods = new List<PodResourcesEntry>();
        var reader = new ProtoReader(data, message);
        while (reader.TryReadField(out var field, out var type))
        {
            if (field == 1)
            {
                reader.Expect(field, type, WireType.LengthDelimited);
                pods.Add(ReadPod(reader.ReadLengthDelimited()));
            }
            else
            {
                reader.Skip(type);
            }
        }
        return pods;
    }

    private static PodResourcesEntry ReadPod(ReadOnlySpan<byte> data)
    {
        string name = "", ns = "";
        var devices = new List<AllocatedDevices>();
        var reader = new ProtoReader(data, "PodResources");
        while (reader.TryReadField(out var field, out var type))
        {
            switch (field)
            {
                case 1 or 2 or 3:
                    reader.Expect(field, type, WireType.LengthDelimited);
                    if (field == 1)
                    {
                        name = reader.ReadString();
                    }
                    else if (field == 2)
                    {
                        ns = reader.ReadString();
                    }
                    else
                    {
                        ReadContainer(reader.ReadLengthDelimited(), devices);
                    }
                    break;
                default:
                    reader.Skip(type);
                    break;
            }
        }
        return new PodResourcesEntry(name, ns, devices);
    }

    private static void ReadContainer(ReadOnlySpan<byte> data, List<AllocatedDevices> into)
    {
        var reader = new ProtoReader(data, "ContainerResources");
        while (reader.TryReadField(out var field, out var type))
        {
            if (field == 2)
            {
                reader.Expect(field, type, WireType.LengthDelimited);
                into.Add(ReadDevices(reader.ReadLengthDelimited()));
            }
            else
            {
                reader.Skip(type);
            }
        }
    }

    private static AllocatedDevices ReadDevices(ReadOnlySpan<byte> data)
    {
        var resource = "";
        var ids = new List<string>();
        var reader = new ProtoReader(data, "ContainerDevices");
        while (reader.TryReadField(out var field, out var type))
        {
            if (field is 1 or 2)
            {
                reader.Expect(field, type, WireType.LengthDelimited);
                var text = reader.ReadString();
                if (field == 1)
                {
                    resource = text;
                }
                else
                {
                    ids.Add(text);
                }
            }
            else
            {
                reader.Skip(type);
            }
        }
        return new AllocatedDevices(resource, ids);
    }

    private static PodResourcesEntry Merge(PodResourcesEntry first, PodResourcesEntry second) => new(
        second.Name.Length > 0 ? second.Name : first.Name,
        second.Namespace.Length > 0 ? second.Namespace : first.Namespace,
        [.. first.Devices, .. second.Devices]);
}

/// <summary>One pod as the kubelet reports it: its devices, container by container.</summary>
internal sealed record PodResourcesEntry(string Name, string Namespace, IReadOnlyList<AllocatedDevices> Devices);
