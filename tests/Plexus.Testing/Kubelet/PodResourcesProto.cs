namespace Plexus.Testing.Kubelet;

/// <summary>Builds kubelet pod-resources (v1) messages by their published field numbers.</summary>
public static class PodResourcesProto
{
    /// <summary>A pod: <c>containers</c> as (container name, [(resource, device ids)]).</summary>
    public static ProtoBuilder Pod(string name, string ns, params (string Container, (string Resource, string[] Ids)[] Devices)[] containers)
    {
        var pod = new ProtoBuilder().String(1, name).String(2, ns);
        foreach (var (container, devices) in containers)
        {
            var c = new ProtoBuilder().String(1, container);
            foreach (var (resource, ids) in devices)
            {
                var d = new ProtoBuilder().String(1, resource);
                foreach (var id in ids)
                {
                    d.String(2, id);
                }
                // topology { nodes { ID: 0 } }: a field the client must skip.
                d.Message(3, new ProtoBuilder().Message(1, new ProtoBuilder().Varint(1, 0)));
                c.Message(2, d);
            }
            // cpu_ids, packed: also skipped.
            c.Bytes(3, [2, 3]);
            pod.Message(3, c);
        }
        return pod;
    }

    public static byte[] GetResponse(ProtoBuilder? pod) => pod is null ? [] : new ProtoBuilder().Message(1, pod).ToArray();

    public static byte[] ListResponse(params ProtoBuilder[] pods)
    {
        var list = new ProtoBuilder();
        foreach (var pod in pods)
        {
            list.Message(1, pod);
        }
        return list.ToArray();
    }
}
