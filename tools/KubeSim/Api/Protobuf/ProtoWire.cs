namespace Plexus.KubeSim.Api.Protobuf;

/// <summary>One field as it arrived: its number, wire type, and either its varint or its bytes.</summary>
internal readonly record struct ProtoValue(int Number, int WireType, ulong Varint, ReadOnlyMemory<byte> Bytes)
{
    public const int VarintType = 0;
    public const int Fixed64Type = 1;
    public const int LengthDelimitedType = 2;
    public const int Fixed32Type = 5;
}

/// <summary>An undecodable protobuf body; the caller says which type it was meant to be.</summary>
internal class ProtobufException(string message) : Exception(message);

/// <summary>A well-formed body using a field the simulator does not decode (<see cref="ProtoType.Undecoded"/>).</summary>
internal sealed class ProtobufUndecodedException(string message) : ProtobufException(message);

/// <summary>
/// The protobuf wire format (protobuf.dev "Encoding"): each field is a varint key (number &lt;&lt; 3 |
/// wire type) followed by a varint (0), 8 bytes (1), a varint length and that many bytes (2), or
/// 4 bytes (5). Groups (3, 4) are proto2's deprecated form that no Kubernetes type uses.
/// </summary>
internal static class ProtoWire
{
    private const int MaxFieldNumber = (1 << 29) - 1;

    /// <summary>The fields of one message; <paramref name="where"/> names it in errors.</summary>
    public static List<ProtoValue> Fields(ReadOnlyMemory<byte> message, string where)
    {
        var fields = new List<ProtoValue>();
        var data = message.Span;
        var at = 0;
        while (at < data.Length)
        {
            var key = Varint(data, ref at, where);
            var number = key >> 3;
            var wireType = (int)(key & 7);
            if (number is 0 or > MaxFieldNumber) throw new ProtobufException($"{where}: field number {number} is out of range");
            switch (wireType)
            {
                case ProtoValue.VarintType:
                    fields.Add(new((int)number, wireType, Varint(data, ref at, where), default));
                    break;
                case ProtoValue.Fixed64Type or ProtoValue.Fixed32Type or ProtoValue.LengthDelimitedType:
                    var length = wireType switch
                    {
                        ProtoValue.Fixed64Type => 8UL,
                        ProtoValue.Fixed32Type => 4UL,
                        _ => Varint(data, ref at, where),
                    };
                    if (length > (ulong)(data.Length - at))
                    {
                        throw new ProtobufException($"{where}: field {number} needs {length} bytes but only {data.Length - at} remain");
                    }
                    fields.Add(new((int)number, wireType, 0, message.Slice(at, (int)length)));
                    at += (int)length;
                    break;
                default:
                    throw new ProtobufException($"{where}: field {number} has wire type {wireType}, which is not supported");
            }
        }
        return fields;
    }

    private static ulong Varint(ReadOnlySpan<byte> data, ref int at, string where)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (at >= data.Length) throw new ProtobufException($"{where}: a varint runs past the end of the message");
            var b = data[at++];
            value |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80) return value;
        }
        throw new ProtobufException($"{where}: a varint is longer than 10 bytes");
    }
}
