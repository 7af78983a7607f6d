using System.Buffers;
using System.Text;
using System.Text.Json;
using Plexus.Cni.Json;

namespace Plexus.Core.Status;

/// <summary>
/// Writes the network-status annotation value directly (one ADD writes it once per process, and
/// the serializer's per-type setup cost more than the writing). Unset members are left out;
/// <c>dns</c> is always present, <c>mtu</c> only when known and <c>default</c> only when true,
/// as Multus writes them.
/// </summary>
internal static class NetworkStatusWriter
{
    public static string ToAnnotation(IReadOnlyList<NetworkStatus> entries)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = MinimalJsonEncoder.Instance }))
        {
            json.WriteStartArray();
            foreach (var entry in entries)
            {
                Write(json, entry);
            }
            json.WriteEndArray();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void Write(Utf8JsonWriter json, NetworkStatus status)
    {
        json.WriteStartObject();
        json.WriteString("name", status.Name);
        String(json, "interface", status.Interface);
        Strings(json, "ips", status.Ips);
        String(json, "mac", status.Mac);
        if (status.Mtu != 0)
        {
            json.WriteNumber("mtu", status.Mtu);
        }
        if (status.Default)
        {
            json.WriteBoolean("default", true);
        }
        json.WriteStartObject("dns");
        Strings(json, "nameservers", status.Dns.Nameservers);
        String(json, "domain", status.Dns.Domain);
        Strings(json, "search", status.Dns.Search);
        Strings(json, "options", status.Dns.Options);
        json.WriteEndObject();
        if (status.DeviceInfo is { } deviceInfo)
        {
            json.WritePropertyName("device-info");
            deviceInfo.WriteTo(json);
        }
        Strings(json, "gateway", status.Gateway);
        json.WriteEndObject();
    }

    private static void String(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }

    private static void Strings(Utf8JsonWriter json, string name, List<string>? values)
    {
        if (values is null)
        {
            return;
        }
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }
        json.WriteEndArray();
    }
}
