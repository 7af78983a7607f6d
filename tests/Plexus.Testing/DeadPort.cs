using System.Net;
using System.Net.Sockets;

namespace Plexus.Testing;

/// <summary>
/// A port on 127.0.0.1 nothing listens on, for a proxy that is down. It stays bound (never listening) until disposed: a
/// connection to it is refused, and no listener of this or another test process can be given it meanwhile, as one could
/// a port that was only found free.
/// </summary>
public sealed class DeadPort : IDisposable
{
    private readonly Socket _bound = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

    public DeadPort()
    {
        _bound.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        Port = ((IPEndPoint)_bound.LocalEndPoint!).Port;
    }

    public int Port { get; }

    public void Dispose() => _bound.Dispose();
}
