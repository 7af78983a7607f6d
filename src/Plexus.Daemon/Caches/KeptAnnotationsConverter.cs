using System.Text.Json;
using System.Text.Json.Serialization;
using Plexus.Core.Ports;

namespace Plexus.Daemon.Caches;

/// <summary>
/// Reads an object's annotations keeping only those the meta-plugin reads; every other value (a
/// <c>last-applied-configuration</c> can be kilobytes) is skipped in the reader, never materialised.
/// </summary>
internal sealed class KeptAnnotationsConverter : JsonConverter<Dictionary<string, string>?>
{
    /// <summary>String literals: every cached object shares these key strings.</summary>
    private static readonly string[] Kept =
    [
        // Read by Core's network selection (its constants are internal there).
        "k8s.v1.cni.cncf.io/networks",
        "v1.multus-cni.io/default-network",
        PodInfo.ConfigSourceAnnotation,
        NetworkAttachmentDefinition.ResourceNameAnnotation,
    ];

    public override Dictionary<string, string>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("metadata.annotations is not an object");
        }
        Dictionary<string, string>? kept = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = KeptKey(ref reader);
            reader.Read();
            if (key is not null && reader.TokenType == JsonTokenType.String)
            {
                (kept ??= new Dictionary<string, string>(StringComparer.Ordinal))[key] = reader.GetString()!;
            }
            else
            {
                reader.Skip();
            }
        }
        return kept;
    }

    private static string? KeptKey(ref Utf8JsonReader reader)
    {
        foreach (var key in Kept)
        {
            if (reader.ValueTextEquals(key))
            {
                return key;
            }
        }
        return null;
    }

    public override void Write(Utf8JsonWriter writer, Dictionary<string, string>? value, JsonSerializerOptions options) =>
        throw new NotSupportedException("cache wire types are read-only");
}
