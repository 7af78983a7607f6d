using System.Buffers.Binary;

namespace Plexus.Kubelet.Grpc;

/// <summary>
/// gRPC's length-prefixed messages over HTTP/2: a 1-byte compressed flag, a 4-byte big-endian
/// length, the message. Plexus asks for no compression, so a compressed message is an error.
/// </summary>
internal static class GrpcFraming
{
    public const int PrefixBytes = 5;

    /// <summary>Larger messages are refused (the kubelet's own client default, as Multus uses).</summary>
    public const int MaxMessageBytes = 16 * 1024 * 1024;

    public static byte[] Frame(ReadOnlySpan<byte> message)
    {
        var frame = new byte[PrefixBytes + message.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)message.Length);
        message.CopyTo(frame.AsSpan(PrefixBytes));
        return frame;
    }

    /// <summary>The messages of a response body, in order; <see cref="InvalidDataException"/> for a malformed body.</summary>
    public static IReadOnlyList<byte[]> Unframe(ReadOnlySpan<byte> body)
    {
        var messages = new List<byte[]>();
        while (!body.IsEmpty)
        {
            if (body.Length < PrefixBytes)
            {
                throw new InvalidDataException($"gRPC message prefix is truncated ({body.Length} of {PrefixBytes} bytes)");
            }
            var flag = body[0];
            if (flag != 0)
            {
                throw new InvalidDataException(flag == 1
                    ? "gRPC message is compressed, but plexus asked for none"
                    : $"gRPC message has compressed flag {flag}, which is neither 0 nor 1");
            }
            var length = BinaryPrimitives.ReadUInt32BigEndian(body[1..]);
            if (length > MaxMessageBytes)
            {
                throw new InvalidDataException($"gRPC message of {length} bytes exceeds the {MaxMessageBytes}-byte limit");
            }
            if (length > body.Length - PrefixBytes)
            {
                throw new InvalidDataException($"gRPC message is truncated ({body.Length - PrefixBytes} of {length} bytes)");
            }
            messages.Add(body.Slice(PrefixBytes, (int)length).ToArray());
            body = body[(PrefixBytes + (int)length)..];
        }
        return messages;
    }
}
