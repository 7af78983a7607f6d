using System.Buffers;
using System.Text.Json;

namespace Plexus.Cni.Skel;

/// <summary>
/// The VERSION answer, <c>{"cniVersion","supportedVersions"}</c>, written directly: VERSION is the
/// call a runtime makes most for its start-up budget, and the serializer's per-type setup would
/// double its cost.
/// </summary>
public static class VersionAnswer
{
    public static byte[] Encode(IReadOnlyCollection<CniVersion> supported)
    {
        ArgumentNullException.ThrowIfNull(supported);
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = Json.MinimalJsonEncoder.Instance }))
        {
            json.WriteStartObject();
            json.WriteString("cniVersion", supported.Max().ToString());
            json.WriteStartArray("supportedVersions");
            foreach (var version in supported)
            {
                json.WriteStringValue(version.ToString());
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
