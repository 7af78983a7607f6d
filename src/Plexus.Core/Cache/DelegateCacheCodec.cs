using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Plexus.Cni;
using Plexus.Cni.Json;

namespace Plexus.Core.Cache;

/// <summary>
/// The delegate cache's JSON, written and read by hand: ADD writes it and DEL reads it in every
/// plugin process, where the serializer's per-type setup cost more than the file I/O. Opaque
/// delegate configs are copied as they are (minimal escaping, like every other JSON Plexus writes).
/// </summary>
internal static class DelegateCacheCodec
{
    private const string Remedy = "DEL falls back to the libcni result caches when its delegate cache is unreadable";
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = MinimalJsonEncoder.Instance };

    public static byte[] Encode(DelegateCache cache)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("kind", cache.Kind);
            json.WriteString("containerId", cache.ContainerId);
            WriteOptional(json, "netns", cache.Netns);
            WriteOptional(json, "cniVersion", cache.CniVersion);
            WriteOptional(json, "podNamespace", cache.PodNamespace);
            WriteOptional(json, "podName", cache.PodName);
            WriteOptional(json, "podUid", cache.PodUid);
            json.WriteStartArray("attachments");
            foreach (var attachment in cache.Attachments)
            {
                json.WriteStartObject();
                json.WriteString("network", attachment.Network);
                json.WriteString("ifName", attachment.IfName);
                json.WritePropertyName("conf");
                attachment.Conf.WriteTo(json);
                if (attachment.CapabilityArgs is { } args)
                {
                    json.WritePropertyName("capabilityArgs");
                    args.WriteTo(json);
                }
                WriteOptional(json, "deviceInfoFile", attachment.DeviceInfoFile);
                if (attachment.ClusterNetwork is { } clusterNetwork)
                {
                    json.WriteBoolean("clusterNetwork", clusterNetwork);
                }
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The cache in <paramref name="bytes"/>; a <see cref="CniException"/> (code 6) says what is wrong with it.</summary>
    public static DelegateCache Decode(ReadOnlySpan<byte> bytes, string path)
    {
        var what = $"delegate cache {path}";
        var fields = new JsonFields(CniJson.ParseObject(bytes, what), "$", what, Remedy);
        return new DelegateCache
        {
            Kind = fields.String("kind") ?? "",
            ContainerId = fields.String("containerId") ?? throw Missing(what, "containerId"),
            Netns = fields.String("netns"),
            CniVersion = fields.String("cniVersion"),
            PodNamespace = fields.String("podNamespace"),
            PodName = fields.String("podName"),
            PodUid = fields.String("podUid"),
            Attachments = (fields.Objects("attachments") ?? throw Missing(what, "attachments"))
                .Select((attachment, i) => Attachment(attachment ?? throw Missing(what, $"attachments[{i}]"), $"$.attachments[{i}]", what))
                .ToList(),
        };
    }

    private static CachedAttachment Attachment(JsonObject json, string path, string what)
    {
        var fields = new JsonFields(json, path, what, Remedy);
        return new CachedAttachment
        {
            Network = fields.String("network") ?? throw Missing(what, $"{path}.network"),
            IfName = fields.String("ifName") ?? throw Missing(what, $"{path}.ifName"),
            Conf = fields.Object("conf") ?? throw Missing(what, $"{path}.conf"),
            CapabilityArgs = fields.Object("capabilityArgs"),
            DeviceInfoFile = fields.String("deviceInfoFile"),
            ClusterNetwork = fields.Bool("clusterNetwork"),
        };
    }

    private static void WriteOptional(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }

    private static CniException Missing(string what, string member) => CniException.Decode($"the {what} has no {member}");
}
