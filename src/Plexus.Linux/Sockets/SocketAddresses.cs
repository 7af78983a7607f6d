using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using static Plexus.Linux.Sockets.SocketNative;

namespace Plexus.Linux.Sockets;

/// <summary>The kernel's <c>sockaddr</c> structures as bytes (host byte order, except the port).</summary>
internal static class SocketAddresses
{
    /// <summary><c>sizeof(sockaddr_un.sun_path)</c>, with the terminating NUL.</summary>
    public const int MaxUnixPathBytes = 108;

    /// <summary><c>sockaddr_in</c> (family, port, address, zero padding) or <c>sockaddr_in6</c> (family, port, flowinfo, address, scope id).</summary>
    public static byte[] Tcp(IPEndPoint endpoint)
    {
        var v6 = endpoint.AddressFamily == AddressFamily.InterNetworkV6;
        var address = new byte[v6 ? 28 : 16];
        MemoryMarshal.Write(address, (ushort)(v6 ? AF_INET6 : AF_INET));
        MemoryMarshal.Write(address.AsSpan(2), (ushort)IPAddress.HostToNetworkOrder((short)endpoint.Port));
        if (v6)
        {
            endpoint.Address.TryWriteBytes(address.AsSpan(8, 16), out _);
            MemoryMarshal.Write(address.AsSpan(24), (uint)endpoint.Address.ScopeId);
        }
        else
        {
            endpoint.Address.TryWriteBytes(address.AsSpan(4, 4), out _);
        }
        return address;
    }

    /// <summary><c>sockaddr_un</c>: family, then the NUL-terminated path.</summary>
    /// <exception cref="SocketCallException">The path does not fit.</exception>
    public static byte[] Unix(string path)
    {
        var bytes = Encoding.UTF8.GetBytes(path);
        if (bytes.Length >= MaxUnixPathBytes)
        {
            throw new SocketCallException(0, $"socket path is {bytes.Length} bytes, longer than the {MaxUnixPathBytes - 1} a unix socket allows");
        }
        var address = new byte[2 + bytes.Length + 1];
        MemoryMarshal.Write(address, (ushort)AF_UNIX);
        bytes.CopyTo(address.AsSpan(2));
        return address;
    }
}
