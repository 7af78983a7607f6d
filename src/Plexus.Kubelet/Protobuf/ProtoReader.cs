using System.Text;

namespace Plexus.Kubelet.Protobuf;

/// <summary>
/// Reads protobuf wire format field by field. Every malformation (truncation, overlong varint,
/// obsolete or unknown wire type, field 0, invalid UTF-8) is an <see cref="InvalidDataException"/>
/// saying what and where, never an out-of-range read.
/// </summary>
internal ref struct ProtoReader(ReadOnlySpan<byte> data, string message)
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private readonly int length = data.Length;
    private ReadOnlySpan<byte> rest = data;

    /// <summary>The next field's number and wire type; false at the end of the message.</summary>
    public bool TryReadField(out int field, out WireType type)
    {
        field = 0;
        type = default;
        if (rest.IsEmpty)
        {
            return false;
        }
        var tag = ReadVarint();
        var number = tag >> 3;
        if (number is 0 or > 0x1FFFFFFF)
        {
            throw Malformed($"field number {number} is out of range");
        }
        field = (int)number;
        type = (WireType)(tag & 7);
        if (type is not (WireType.Varint or WireType.Fixed64 or WireType.LengthDelimited or WireType.Fixed32))
        {
            throw Malformed($"field {field} has wire type {(int)type}, which is not supported (groups are obsolete, 6 and 7 do not exist)");
        }
        return true;
    }

    public ulong ReadVarint()
    {
        ulong value = 0;
        for (var i = 0; i < 10; i++)
        {
            if (rest.IsEmpty)
            {
                throw Malformed("varint is truncated");
            }
            var b = rest[0];
            rest = rest[1..];
            if (i == 9 && b > 1)
            {
                throw Malformed("varint is longer than 64 bits");
            }
            value |= (ulong)(b & 0x7F) << (7 * i);
            if (b < 0x80)
            {
                return value;
            }
        }
        throw Malformed("varint is longer than 10 bytes");
    }

    public ReadOnlySpan<byte> ReadLengthDelimited()
    {
        var size = ReadVarint();
        if (size > (ulong)rest.Length)
        {
            throw Malformed($"a length-delimited field claims {size} bytes but {rest.Length} remain");
        }
        var value = rest[..(int)size];
        rest = rest[(int)size..];
        return value;
    }

    public string ReadString()
    {
        var bytes = ReadLengthDelimited();
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw Malformed("a string field is not valid UTF-8");
        }
    }

    /// <summary>Skips a field this reader does not use (fields added to the API later, topology, CPUs).</summary>
    public void Skip(WireType type)
    {
        switch (type)
        {
            case WireType.Varint:
                ReadVarint();
                break;
            case WireType.LengthDelimited:
                ReadLengthDelimited();
                break;
            default:
                var size = type == WireType.Fixed64 ? 8 : 4;
                if (rest.Length < size)
                {
                    throw Malformed($"a {size}-byte fixed field is truncated");
                }
                rest = rest[size..];
                break;
        }
    }

    /// <summary>Checks that a known field arrived with the wire type the schema gives it.</summary>
    public readonly void Expect(int field, WireType actual, WireType expected)
    {
        if (actual != expected)
        {
            throw Malformed($"field {field} has wire type {actual}, expected {expected}");
        }
    }

    private readonly InvalidDataException Malformed(string what) =>
        new($"malformed {message} at byte {length - rest.Length} of {length}: {what}");
}
