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

    // Reads the member the reader is on (its name) into the state; false for a member it does not know.
    private delegate bool MemberReader<TState>(ref Utf8JsonReader reader, ref TState state);

    /// <summary>A whole response body: one object or null, nothing after it.</summary>
    public static PodResource? ReadPodDocument(byte[] json) => ReadDocument(json, ReadPod);

    /// <inheritdoc cref="ReadPodDocument"/>
    public static NadResource? ReadNadDocument(byte[] json) => ReadDocument(json, ReadNad);

    /// <summary>A pod's object, the reader on its start; leaves the reader on its end.</summary>
    public static PodResource ReadPod(ref Utf8JsonReader reader) =>
        new() { Metadata = ReadObject(ref reader, "pod", static (ref Utf8JsonReader r, ref ObjectMeta? metadata) =>
            r.ValueTextEquals("metadata"u8) && Assign(out metadata, ReadMeta(ref r, "pod"))) };

    /// <summary>A NetworkAttachmentDefinition's object, the reader on its start; leaves the reader on its end.</summary>
    public static NadResource ReadNad(ref Utf8JsonReader reader)
    {
        var (metadata, spec) = ReadObject(ref reader, "NetworkAttachmentDefinition",
            static (ref Utf8JsonReader r, ref (ObjectMeta? Metadata, NadSpec? Spec) nad) =>
                r.ValueTextEquals("metadata"u8) ? Assign(out nad.Metadata, ReadMeta(ref r, "NetworkAttachmentDefinition"))
                : r.ValueTextEquals("spec"u8) && Assign(out nad.Spec, ReadSpec(ref r)));
        return new NadResource { Metadata = metadata, Spec = spec };
    }

    private static NadSpec? ReadSpec(ref Utf8JsonReader reader) => Next(ref reader) == JsonTokenType.Null
        ? null
        : new NadSpec
        {
            Config = ReadObject(ref reader, "NetworkAttachmentDefinition spec", static (ref Utf8JsonReader r, ref string? config) =>
                r.ValueTextEquals("config"u8) && Assign(out config, NextString(ref r, "spec.config"))),
        };

    private static ObjectMeta? ReadMeta(ref Utf8JsonReader reader, string kind)
    {
        if (Next(ref reader) == JsonTokenType.Null)
        {
            return null;
        }
        var meta = ReadObject(ref reader, kind + " metadata",
            static (ref Utf8JsonReader r, ref (string? Name, string? Namespace, string? Uid, string? ResourceVersion, Dictionary<string, string>? Annotations) m) =>
                r.ValueTextEquals("name"u8) ? Assign(out m.Name, NextString(ref r, "metadata.name"))
                : r.ValueTextEquals("namespace"u8) ? Assign(out m.Namespace, NextString(ref r, "metadata.namespace"))
                : r.ValueTextEquals("uid"u8) ? Assign(out m.Uid, NextString(ref r, "metadata.uid"))
                : r.ValueTextEquals("resourceVersion"u8) ? Assign(out m.ResourceVersion, NextString(ref r, "metadata.resourceVersion"))
                : r.ValueTextEquals("annotations"u8) && Assign(out m.Annotations, ReadStringMap(ref r, "metadata.annotations")));
        return new ObjectMeta { Name = meta.Name, Namespace = meta.Namespace, Uid = meta.Uid, ResourceVersion = meta.ResourceVersion, Annotations = meta.Annotations };
    }

    private static Dictionary<string, string>? ReadStringMap(ref Utf8JsonReader reader, string field)
    {
        if (Next(ref reader) == JsonTokenType.Null)
        {
            return null;
        }
        StartObject(ref reader, field);
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        while (NextProperty(ref reader))
        {
            var key = Text(ref reader, $"a key of {field}");
            map[key] = Next(ref reader) == JsonTokenType.String
                ? Text(ref reader, $"{field}[\"{key}\"]")
                : throw new JsonException($"{field}[\"{key}\"] is a JSON {Describe(reader.TokenType)}, not a string");
        }
        return map;
    }

    // The one loop over an object's members: known ones go to readMember, the rest are skipped.
    private static TState? ReadObject<TState>(ref Utf8JsonReader reader, string what, MemberReader<TState?> readMember)
    {
        StartObject(ref reader, what);
        TState? state = default;
        while (NextProperty(ref reader))
        {
            if (!readMember(ref reader, ref state))
            {
                SkipValue(ref reader);
            }
        }
        return state;
    }

    // Lets a member reader assign and report the member as known in one expression.
    private static bool Assign<T>(out T target, T value)
    {
        target = value;
        return true;
    }

    private static JsonTokenType Next(ref Utf8JsonReader reader)
    {
        reader.Read();
        return reader.TokenType;
    }

    private static string? NextString(ref Utf8JsonReader reader, string field) => Next(ref reader) switch
    {
        JsonTokenType.String => Text(ref reader, field),
        JsonTokenType.Null => null,
        var other => throw new JsonException($"{field} is a JSON {Describe(other)}, not a string"),
    };

    // The reader checks UTF-8 only when a string is decoded, and reports it as a state error: here it is bad input.
    private static string Text(ref Utf8JsonReader reader, string field)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException e)
        {
            throw new JsonException($"{field} is not valid UTF-8", e);
        }
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
