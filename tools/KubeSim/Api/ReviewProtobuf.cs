using System.Text;
using System.Text.Json.Nodes;

namespace Plexus.KubeSim.Api;

/// <summary>
/// Reads a SelfSubjectAccessReview sent as Kubernetes protobuf (kubectl auth can-i sends built-in
/// types that way and does not retry as JSON): the "k8s\0" envelope (runtime.Unknown: typeMeta 1,
/// raw 2) around the review (spec 2: resourceAttributes 1, nonResourceAttributes 2), field numbers
/// from k8s.io/api authorization/v1 generated.proto. Only this type is decoded; other fields are skipped.
/// </summary>
internal static class ReviewProtobuf
{
    public const string MediaType = "application/vnd.kubernetes.protobuf";

    private static readonly byte[] Magic = "k8s\0"u8.ToArray();
    private static readonly string[] ResourceFields = ["namespace", "verb", "group", "version", "resource", "subresource", "name"];
    private static readonly string[] NonResourceFields = ["path", "verb"];

    public static JsonObject Decode(ReadOnlySpan<byte> body)
    {
        if (!body.StartsWith(Magic)) throw Unreadable("the protobuf envelope prefix is missing");
        var review = new JsonObject();
        foreach (var (number, value) in Fields(body[Magic.Length..]))
        {
            if (number == 1) ReadTypeMeta(value, review);
            else if (number == 2) review["spec"] = ReadSpec(Message(value, "raw"));
        }
        return review;
    }

    private static void ReadTypeMeta(Field value, JsonObject review)
    {
        foreach (var (number, field) in Fields(Message(value, "typeMeta")))
        {
            if (number is 1 or 2) review[number == 1 ? "apiVersion" : "kind"] = Text(field);
        }
    }

    private static JsonObject ReadSpec(ReadOnlySpan<byte> raw)
    {
        var spec = new JsonObject();
        foreach (var (number, value) in Fields(raw))
        {
            if (number != 2) continue;
            foreach (var (specNumber, attributes) in Fields(Message(value, "review")))
            {
                if (specNumber == 1) spec["resourceAttributes"] = Strings(Message(attributes, "resourceAttributes"), ResourceFields);
                else if (specNumber == 2) spec["nonResourceAttributes"] = Strings(Message(attributes, "nonResourceAttributes"), NonResourceFields);
            }
        }
        return spec;
    }

    private static JsonObject Strings(ReadOnlySpan<byte> message, string[] names)
    {
        var result = new JsonObject();
        foreach (var (number, value) in Fields(message))
        {
            // proto3 strings arrive even when empty; the JSON form omits them (omitempty).
            if (number >= 1 && number <= names.Length && value.Bytes is { Length: > 0 }) result[names[number - 1]] = Text(value);
        }
        return result;
    }

    private static ReadOnlySpan<byte> Message(Field field, string what) =>
        field.Bytes ?? throw Unreadable($"{what} is not a length-delimited field");

    private static string Text(Field field) => Encoding.UTF8.GetString(field.Bytes ?? []);

    // The wire format: (number << 3 | wire type) varint keys; varints, 64/32-bit values and
    // length-delimited bytes. Materialised as a list because spans cannot live in an iterator.
    private static List<(int Number, Field Value)> Fields(ReadOnlySpan<byte> data)
    {
        var fields = new List<(int, Field)>();
        var at = 0;
        while (at < data.Length)
        {
            var key = Varint(data, ref at);
            var wireType = key & 7;
            if (wireType == 0)
            {
                Varint(data, ref at);
                continue;
            }
            var length = wireType switch
            {
                1 => 8,
                2 => (long)Varint(data, ref at),
                5 => 4,
                _ => throw Unreadable($"wire type {wireType} is not supported"),
            };
            if (length < 0 || length > data.Length - at) throw Unreadable("a field runs past the end of the body");
            fields.Add(((int)(key >> 3), new Field(wireType == 2 ? data.Slice(at, (int)length).ToArray() : null)));
            at += (int)length;
        }
        return fields;
    }

    private static ulong Varint(ReadOnlySpan<byte> data, ref int at)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (at >= data.Length) throw Unreadable("a varint runs past the end of the body");
            var b = data[at++];
            value |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80) return value;
        }
        throw Unreadable("a varint is longer than 10 bytes");
    }

    private static ApiException Unreadable(string why) =>
        ApiException.BadRequest($"the object provided is unrecognized (must be of type SelfSubjectAccessReview): protobuf: {why}");

    private readonly record struct Field(byte[]? Bytes);
}
