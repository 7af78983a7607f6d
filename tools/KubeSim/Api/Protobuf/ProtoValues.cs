using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Plexus.KubeSim.Api.Protobuf;

/// <summary>Values that are messages on the wire but scalars in JSON: map entries, times, int-or-strings; and strings.</summary>
internal static class ProtoValues
{
    // map<K, V> travels as repeated entries { key = 1; value = 2; }; a missing key or value is its zero value.
    public static (string Key, JsonNode Value) MapEntry(ProtoField field, ReadOnlyMemory<byte> entry, string at)
    {
        ReadOnlyMemory<byte> key = default, value = default;
        foreach (var part in ProtoWire.Fields(entry, at))
        {
            if (part.Number is not (1 or 2)) continue;
            if (part.WireType != ProtoValue.LengthDelimitedType)
            {
                var expected = part.Number == 1 ? "a string" : field.Type switch
                {
                    ProtoType.BytesMap => "bytes",
                    ProtoType.QuantityMap => "a quantity",
                    _ => "a string",
                };
                throw new ProtobufException($"{at}: a map entry's {(part.Number == 1 ? "key" : "value")} arrived with wire type " +
                    $"{part.WireType}, but {expected} is sent with wire type 2");
            }
            if (part.Number == 1) key = part.Bytes;
            else value = part.Bytes;
        }
        return (Text(key), field.Type switch
        {
            ProtoType.BytesMap => Convert.ToBase64String(value.Span),
            ProtoType.QuantityMap => Quantity(value, $"{at}[{Text(key)}]"),
            _ => Text(value),
        });
    }

    // resource.Quantity travels as its canonical string (field 1), which is also its JSON form.
    private static string Quantity(ReadOnlyMemory<byte> bytes, string at)
    {
        var text = "";
        foreach (var part in ProtoWire.Fields(bytes, at))
        {
            if (part.Number != 1) continue;
            if (part.WireType != ProtoValue.LengthDelimitedType)
            {
                throw new ProtobufException($"{at}: the quantity's string arrived with wire type {part.WireType}, but it is sent with wire type 2");
            }
            text = Text(part.Bytes);
        }
        return text;
    }

    public static JsonNode IntOrString(ReadOnlyMemory<byte> bytes, string at)
    {
        ulong type = 0, number = 0;
        var text = "";
        foreach (var part in ProtoWire.Fields(bytes, at))
        {
            if (part.Number is not (1 or 2 or 3)) continue;
            var expected = part.Number == 3 ? ProtoValue.LengthDelimitedType : ProtoValue.VarintType;
            if (part.WireType != expected)
            {
                throw new ProtobufException($"{at}: the int-or-string's field {part.Number} arrived with wire type {part.WireType}, " +
                    $"but it is sent with wire type {expected}");
            }
            if (part.Number == 1) type = part.Varint;
            else if (part.Number == 2) number = part.Varint;
            else text = Text(part.Bytes);
        }
        return type == 1 ? text : (int)number;
    }

    /// <summary>
    /// A metav1.Time, or with <paramref name="microseconds"/> a metav1.MicroTime; null when sent empty (the zero time).
    /// </summary>
    public static JsonNode? Time(ReadOnlyMemory<byte> bytes, string at, bool microseconds)
    {
        if (bytes.IsEmpty) return null;
        long seconds = 0;
        var nanos = 0;
        foreach (var part in ProtoWire.Fields(bytes, at))
        {
            if (part.Number is not (1 or 2)) continue;
            if (part.WireType != ProtoValue.VarintType)
            {
                throw new ProtobufException($"{at}: the time's {(part.Number == 1 ? "seconds" : "nanos")} arrived with wire type {part.WireType}, " +
                    "but an int is sent with wire type 0");
            }
            if (part.Number == 1) seconds = (long)part.Varint;
            else nanos = (int)part.Varint;
        }
        // metav1.Time's JSON has whole seconds only, so its nanos are dropped as the real server drops them; MicroTime
        // keeps microseconds (truncated, as Go formats them), the nanos carrying into the seconds as time.Unix does.
        var unixTicks = (decimal)seconds * TimeSpan.TicksPerSecond + (microseconds ? Math.Floor(nanos / 100m) : 0);
        if (unixTicks < (DateTimeOffset.MinValue - DateTimeOffset.UnixEpoch).Ticks || unixTicks > (DateTimeOffset.MaxValue - DateTimeOffset.UnixEpoch).Ticks)
        {
            throw new ProtobufException($"{at}: {seconds} seconds is outside the years 1 to 9999");
        }
        var time = DateTimeOffset.UnixEpoch.AddTicks((long)unixTicks).UtcDateTime;
        return time.ToString(microseconds ? "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'" : "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
    }

    // Go keeps invalid UTF-8 in a string and its JSON encoder writes U+FFFD for it, as this decoder does.
    public static string Text(ReadOnlyMemory<byte> bytes) => Encoding.UTF8.GetString(bytes.Span);
}
