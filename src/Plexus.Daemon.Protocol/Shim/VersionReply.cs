using System.Buffers;
using System.Text.Json;
using Plexus.Cni;

namespace Plexus.Daemon.Protocol.Shim;

/// <summary>
/// The shim answers VERSION itself: the runtime probes it before the daemon may even be up, and it is
/// the one verb on the startup-time budget, so it is written without the serializer's metadata.
/// </summary>
internal static class VersionReply
{
    public static byte[] Encode()
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("cniVersion", CniVersion.Latest.ToString());
            json.WriteStartArray("supportedVersions");
            foreach (var version in CniVersion.Supported)
            {
                json.WriteStringValue(version.ToString());
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
