using System.Text;

namespace Plexus.KubeSim.Tests.Support;

/// <summary>Builds protobuf bytes by hand for tests: fields, messages and the Kubernetes envelope.</summary>
internal static class Proto
{
    public static byte[] Envelope(string apiVersion, string kind, byte[] raw) =>
        [.. "k8s\0"u8, .. Bytes(1, Concat(Text(1, apiVersion), Text(2, kind))), .. Bytes(2, raw)];

    public static byte[] Text(int number, string value) => Bytes(number, Encoding.UTF8.GetBytes(value));

    public static byte[] Bytes(int number, byte[] value) => [.. Key(number, 2), .. Varint((ulong)value.Length), .. value];

    public static byte[] Int(int number, long value) => [.. Key(number, 0), .. Varint((ulong)value)];

    public static byte[] Fixed64(int number) => [.. Key(number, 1), 1, 2, 3, 4, 5, 6, 7, 8];

    public static byte[] Fixed32(int number) => [.. Key(number, 5), 1, 2, 3, 4];

    public static byte[] MapEntry(int number, string key, string value) => Bytes(number, Concat(Text(1, key), Text(2, value)));

    public static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];

    public static byte[] Key(int number, int wireType) => Varint(((ulong)number << 3) | (uint)wireType);

    public static byte[] Varint(ulong value)
    {
        var bytes = new List<byte>();
        while (value >= 0x80)
        {
            bytes.Add((byte)(value | 0x80));
            value >>= 7;
        }
        bytes.Add((byte)value);
        return [.. bytes];
    }
}
