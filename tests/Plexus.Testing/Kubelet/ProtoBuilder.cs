using System.Text;

namespace Plexus.Testing.Kubelet;

/// <summary>
/// A test-side protobuf encoder and field splitter, written apart from the product's codec so that
/// round trips check one implementation against another.
/// </summary>
public sealed class ProtoBuilder
{
    private readonly MemoryStream bytes = new();

    public ProtoBuilder String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    public ProtoBuilder Bytes(int field, byte[] value)
    {
        Tag(field, 2);
        Varint((ulong)value.Length);
        bytes.Write(value);
        return this;
    }

    public ProtoBuilder Message(int field, ProtoBuilder message) => Bytes(field, message.ToArray());

    public ProtoBuilder Varint(int field, ulong value)
    {
        Tag(field, 0);
        Varint(value);
        return this;
    }

    public ProtoBuilder Fixed64(int field, ulong value)
    {
        Tag(field, 1);
        bytes.Write(BitConverter.GetBytes(value));
        return this;
    }

    public ProtoBuilder Fixed32(int field, uint value)
    {
        Tag(field, 5);
        bytes.Write(BitConverter.GetBytes(value));
        return this;
    }

    /// <summary>Appends bytes as they are (for malformed input).</summary>
    public ProtoBuilder Raw(params byte[] raw)
    {
        bytes.Write(raw);
        return this;
    }

    public byte[] ToArray() => bytes.ToArray();

    /// <summary>The top-level length-delimited fields of a message as (field, UTF-8 text); other wire types are skipped.</summary>
    public static IReadOnlyList<(int Field, string Text)> Strings(byte[] message)
    {
        var fields = new List<(int, string)>();
        var i = 0;
        while (i < message.Length)
        {
            var tag = ReadVarint(message, ref i);
            var (field, type) = ((int)(tag >> 3), (int)(tag & 7));
            switch (type)
            {
                case 0:
                    ReadVarint(message, ref i);
                    break;
                case 1:
                    i += 8;
                    break;
                case 5:
                    i += 4;
                    break;
                case 2:
                    var length = (int)ReadVarint(message, ref i);
                    fields.Add((field, Encoding.UTF8.GetString(message, i, length)));
                    i += length;
                    break;
                default:
                    throw new InvalidDataException($"wire type {type}");
            }
        }
        return fields;
    }

    private void Tag(int field, int type) => Varint(((ulong)field << 3) | (uint)type);

    private void Varint(ulong value)
    {
        do
        {
            var b = (byte)(value & 0x7F);
            value >>= 7;
            bytes.WriteByte(value == 0 ? b : (byte)(b | 0x80));
        }
        while (value != 0);
    }

    private static ulong ReadVarint(byte[] data, ref int i)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = data[i++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }
    }
}
