using System.Buffers;
using System.Text;

namespace Plexus.Kubelet.Protobuf;

/// <summary>Writes the protobuf fields the kubelet requests need: strings (proto3 leaves empty ones out).</summary>
internal sealed class ProtoWriter
{
    private readonly ArrayBufferWriter<byte> buffer = new(64);

    public ProtoWriter String(int field, string value)
    {
        if (value.Length == 0)
        {
            return this;
        }
        var bytes = Encoding.UTF8.GetBytes(value);
        Varint(((ulong)field << 3) | (ulong)WireType.LengthDelimited);
        Varint((ulong)bytes.Length);
        buffer.Write(bytes);
        return this;
    }

    public byte[] ToArray() => buffer.WrittenSpan.ToArray();

    private void Varint(ulong value)
    {
        while (value >= 0x80)
        {
            buffer.Write([(byte)(value | 0x80)]);
            value >>= 7;
        }
        buffer.Write([(byte)value]);
    }
}
