using System.Text.Json.Nodes;

namespace Plexus.KubeSim.Api.Protobuf;

/// <summary>
/// Turns a message into the JSON the real server would store for it: field names and omissions per
/// the Go json tags (<see cref="ProtoPresence"/>), unknown fields skipped (protobuf's forward
/// compatibility), a repeated singular field's last value winning and a repeated message merged.
/// </summary>
internal static class ProtoJson
{
    public static void Read(ProtoMessage message, ReadOnlyMemory<byte> bytes, JsonObject into, string path)
    {
        foreach (var value in ProtoWire.Fields(bytes, path.Length == 0 ? message.Name : path))
        {
            if (message.Find(value.Number) is not { } field) continue;
            var at = path.Length == 0 ? field.Name : $"{path}.{field.Name}";
            if (field.Type == ProtoType.Undecoded)
            {
                throw new ProtobufUndecodedException($"kube-sim does not decode {at} (field {field.Number} of {message.Name}) from protobuf");
            }
            CheckWireType(field, value, at);
            switch (field.Type)
            {
                case ProtoType.StringMap or ProtoType.BytesMap or ProtoType.QuantityMap:
                    var (key, entry) = ProtoValues.MapEntry(field, value.Bytes, at);
                    ChildObject(into, field.Name)[key] = entry;
                    break;
                case ProtoType.Message when field.Inline:
                    Read(field.Message!, value.Bytes, into, path);
                    break;
                case ProtoType.Message when field.Repeated:
                    var items = ChildArray(into, field.Name);
                    var item = new JsonObject();
                    Read(field.Message!, value.Bytes, item, $"{at}[{items.Count}]");
                    items.Add(item);
                    break;
                case ProtoType.Message:
                    Read(field.Message!, value.Bytes, ChildObject(into, field.Name), at);
                    break;
                case ProtoType.String when field.Repeated:
                    ChildArray(into, field.Name).Add(ProtoValues.Text(value.Bytes));
                    break;
                default:
                    var scalar = Scalar(field, value, at);
                    if (scalar is null && field.Type is not (ProtoType.Time or ProtoType.MicroTime)) into.Remove(field.Name);
                    else into[field.Name] = scalar;
                    break;
            }
        }
        foreach (var field in message.All.Where(f => f.Presence == ProtoPresence.Always && !into.ContainsKey(f.Name)))
        {
            into[field.Name] = ZeroValue(field, path.Length == 0 ? field.Name : $"{path}.{field.Name}");
        }
    }

    private static JsonObject ChildObject(JsonObject parent, string name) =>
        parent[name] as JsonObject ?? (JsonObject)(parent[name] = new JsonObject());

    private static JsonArray ChildArray(JsonObject parent, string name) =>
        parent[name] as JsonArray ?? (JsonArray)(parent[name] = new JsonArray());

    private static void CheckWireType(ProtoField field, ProtoValue value, string at)
    {
        var expected = field.Type is ProtoType.Bool or ProtoType.Int ? ProtoValue.VarintType : ProtoValue.LengthDelimitedType;
        if (value.WireType != expected)
        {
            throw new ProtobufException($"{at} (field {field.Number}) arrived with wire type {value.WireType}, " +
                $"but {Describe(field)} is sent with wire type {expected}");
        }
    }

    private static string Describe(ProtoField field) => field.Type switch
    {
        ProtoType.Message or ProtoType.Time or ProtoType.MicroTime or ProtoType.IntOrString => "a message",
        ProtoType.StringMap or ProtoType.BytesMap or ProtoType.QuantityMap => "a map entry",
        ProtoType.Int => "an int",
        var type => "a " + type.ToString().ToLowerInvariant(),
    };

    /// <summary>A scalar's JSON value, or null when its json tag omits it (a Time's null is kept: Go writes zero times as null).</summary>
    private static JsonNode? Scalar(ProtoField field, ProtoValue value, string at)
    {
        var omitZero = field.Presence == ProtoPresence.OmitZero;
        return field.Type switch
        {
            ProtoType.String => ProtoValues.Text(value.Bytes) is var s && (s.Length > 0 || !omitZero) ? s : null,
            ProtoType.Bool => value.Varint != 0 || !omitZero ? value.Varint != 0 : null,
            ProtoType.Int => value.Varint != 0 || !omitZero ? (long)value.Varint : null,
            ProtoType.Time or ProtoType.MicroTime => ProtoValues.Time(value.Bytes, at, microseconds: field.Type == ProtoType.MicroTime),
            ProtoType.IntOrString => ProtoValues.IntOrString(value.Bytes, at),
            _ => throw new InvalidOperationException($"{field.Type} is not a scalar"),
        };
    }

    private static JsonNode? ZeroValue(ProtoField field, string at) => field switch
    {
        { Repeated: true } => null,
        { Type: ProtoType.Message } => Empty(field.Message!, at),
        { Type: ProtoType.String } => "",
        { Type: ProtoType.Bool } => false,
        { Type: ProtoType.Int } => 0L,
        _ => null,
    };

    private static JsonObject Empty(ProtoMessage message, string at)
    {
        var empty = new JsonObject();
        Read(message, ReadOnlyMemory<byte>.Empty, empty, at);
        return empty;
    }
}
