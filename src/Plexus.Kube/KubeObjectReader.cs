using System.Text.Json;
using System.Text.Json.Serialization;

namespace Plexus.Kube;

/// <summary>
/// Reads the API objects Plexus uses from their JSON by hand, keeping only the fields it reads.
/// Under NativeAOT a source-generated type's first use builds its metadata with reflection, once per process: that
/// was 0.8 ms of a thin ADD's CPU for the NAD and the event (perf), and a plugin process reads one or two objects.
/// plexusd's list and watch decoding reaches the same code through <see cref="PodResourceConverter"/> and
/// <see cref="NadResourceConverter"/>. As with the serializer, unknown fields are skipped, a JSON null is null,
/// and a known field of another JSON type is a <see cref="JsonException"/>.
/// </summary>
internal static class KubeObjectReader
{
    private delegate T ValueReader<out T>(ref Utf8JsonReader reader);

    /// <summary>A whole response body: one object or null, nothing after it.</summary>
    public static PodResource? ReadPodDocument(byte[] json) => ReadDocument(json, ReadPod);

    /// <inheritdoc cref="ReadPodDocument"/>
    public static NadResource? ReadNadDocument(byte[] json) => ReadDocument(json, ReadNad);

    /// <summary>A pod's object, the reader on its start; leaves the reader on its end.</summary>
    public static PodResource ReadPod(ref Utf8JsonReader reader)
    {
        ObjectMeta? metadata = null;
        StartObject(ref reader, "pod");
        while (NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("metadata"u8))
            {
                reader.Read();
                metadata = ReadMeta(ref reader, "pod");
            }
            else
            {
                SkipValue(ref reader);
            }
        }
        return new PodResource { Metadata = metadata };
    }

    /// <summary>A NetworkAttachmentDefinition's object, the reader on its start; leaves the reader on its end.</summary>
    public static NadResource ReadNad(ref Utf8JsonReader reader)
    {
        ObjectMeta? metadata = null;
        NadSpec? spec = null;
        StartObject(ref reader, "NetworkAttachmentDefinition");
        while (NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("metadata"u8))
            {
                reader.Read();
                metadata = ReadMeta(ref reader, "NetworkAttachmentDefinition");
            }
            else if (reader.ValueTextEquals("spec"u8))
            {
                reader.Read();
                spec = ReadNadSpec(ref reader);
            }
            else
            {
                SkipValue(ref reader);
            }
        }
        return new NadResource { Metadata = metadata, Spec = spec };
    }

    private static NadSpec? ReadNadSpec(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        string? config = null;
        StartObject(ref reader, "NetworkAttachmentDefinition spec");
        while (NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("config"u8))
            {
                reader.Read();
                config = ReadString(ref reader, "spec.config");
            }
            else
            {
                SkipValue(ref reader);
            }
        }
        return new NadSpec { Config = config };
    }

    private static ObjectMeta? ReadMeta(ref Utf8JsonReader reader, string kind)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        string? name = null, @namespace = null, uid = null, resourceVersion = null;
        Dictionary<string, string>? annotations = null;
        StartObject(ref reader, kind + " metadata");
        while (NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("name"u8))
            {
                reader.Read();
                name = ReadString(ref reader, "metadata.name");
            }
            else if (reader.ValueTextEquals("namespace"u8))
            {
                reader.Read();
                @namespace = ReadString(ref reader, "metadata.namespace");
            }
            else if (reader.ValueTextEquals("uid"u8))
            {
                reader.Read();
                uid = ReadString(ref reader, "metadata.uid");
            }
            else if (reader.ValueTextEquals("resourceVersion"u8))
            {
                reader.Read();
                resourceVersion = ReadString(ref reader, "metadata.resourceVersion");
            }
            else if (reader.ValueTextEquals("annotations"u8))
            {
                reader.Read();
                annotations = ReadStringMap(ref reader, "metadata.annotations");
            }
            else
            {
                SkipValue(ref reader);
            }
        }
        return new ObjectMeta { Name = name, Namespace = @namespace, Uid = uid, ResourceVersion = resourceVersion, Annotations = annotations };
    }

    private static Dictionary<string, string>? ReadStringMap(ref Utf8JsonReader reader, string field)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        StartObject(ref reader, field);
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        while (NextProperty(ref reader))
        {
            var key = reader.GetString()!;
            reader.Read();
            map[key] = reader.TokenType == JsonTokenType.String
                ? reader.GetString()!
                : throw new JsonException($"{field}[\"{key}\"] is a JSON {Describe(reader.TokenType)}, not a string");
        }
        return map;
    }

    private static T? ReadDocument<T>(ReadOnlySpan<byte> json, ValueReader<T> read)
        where T : class
    {
        // The reader itself rejects an empty body, broken JSON and anything after the first value.
        var reader = new Utf8JsonReader(json);
        reader.Read();
        var value = reader.TokenType == JsonTokenType.Null ? null : read(ref reader);
        reader.Read();
        return value;
    }

    private static void StartObject(ref Utf8JsonReader reader, string what)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException($"the {what} is a JSON {Describe(reader.TokenType)}, not an object");
        }
    }

    // TrySkip, not Skip: plexusd's streamed lists hand the converters a reader whose block is not final, though the
    // serializer has buffered the whole object before calling them (Skip would throw there).
    private static void SkipValue(ref Utf8JsonReader reader)
    {
        if (!reader.TrySkip())
        {
            throw new JsonException($"the JSON ends inside a value, at byte {reader.TokenStartIndex}");
        }
    }

    // Moves to the next property name of the object the reader is in; false on the object's end.
    private static bool NextProperty(ref Utf8JsonReader reader) => reader.Read() && reader.TokenType == JsonTokenType.PropertyName;

    private static string? ReadString(ref Utf8JsonReader reader, string field) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Null => null,
        var other => throw new JsonException($"{field} is a JSON {Describe(other)}, not a string"),
    };

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "object",
        JsonTokenType.StartArray => "array",
        JsonTokenType.True or JsonTokenType.False => "boolean",
        var other => other.ToString().ToLowerInvariant(),
    };
}

/// <summary>Lets plexusd's source-generated list and watch types decode pods with <see cref="KubeObjectReader"/>.</summary>
internal sealed class PodResourceConverter : JsonConverter<PodResource>
{
    public override PodResource Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => KubeObjectReader.ReadPod(ref reader);

    public override void Write(Utf8JsonWriter writer, PodResource value, JsonSerializerOptions options) =>
        throw new NotSupportedException("Plexus reads pods, it never writes one whole");
}

/// <summary>Lets plexusd's source-generated list and watch types decode NADs with <see cref="KubeObjectReader"/>.</summary>
internal sealed class NadResourceConverter : JsonConverter<NadResource>
{
    public override NadResource Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => KubeObjectReader.ReadNad(ref reader);

    public override void Write(Utf8JsonWriter writer, NadResource value, JsonSerializerOptions options) =>
        throw new NotSupportedException("Plexus reads NetworkAttachmentDefinitions, it never writes one");
}
