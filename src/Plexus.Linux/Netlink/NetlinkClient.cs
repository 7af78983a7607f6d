using System.Net.Sockets;
using Plexus.Linux.Netns;
using static Plexus.Linux.Netlink.NetlinkNative;

namespace Plexus.Linux.Netlink;

/// <summary>
/// A small rtnetlink client. The socket is bound to the namespace it was created in, so a client
/// opened for a namespace can then be used from any thread without entering it again.
/// </summary>
public sealed class NetlinkClient : IDisposable
{
    private readonly Socket _socket;
    private readonly string _where;
    private uint _sequence;

    private NetlinkClient(Socket socket, string where)
    {
        _socket = socket;
        _where = where;
    }

    /// <summary>Opens a client for the caller's own network namespace.</summary>
    public static NetlinkClient Open() => new(CreateSocket(), "the current network namespace");

    /// <summary>Opens a client for the network namespace at <paramref name="netnsPath"/>.</summary>
    public static async Task<NetlinkClient> OpenAsync(string netnsPath, CancellationToken cancellationToken)
    {
        var socket = await NetnsRunner.RunAsync(netnsPath, CreateSocket, cancellationToken).ConfigureAwait(false);
        return new NetlinkClient(socket, $"network namespace {netnsPath}");
    }

    public async Task<IReadOnlyList<LinkInfo>> ListLinksAsync(CancellationToken cancellationToken)
    {
        var replies = await DumpAsync(RTM_GETLINK, IfInfoMsgLength, RTM_NEWLINK, cancellationToken).ConfigureAwait(false);
        return [.. replies.Select(payload => NetlinkCodec.ParseLink(payload))];
    }

    /// <summary>The link named <paramref name="name"/>, or null when the namespace has none.</summary>
    public async Task<LinkInfo?> FindLinkAsync(string name, CancellationToken cancellationToken) =>
        (await ListLinksAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(l => l.Name == name);

    public async Task<IReadOnlyList<AddressInfo>> ListAddressesAsync(CancellationToken cancellationToken)
    {
        var replies = await DumpAsync(RTM_GETADDR, IfAddrMsgLength, RTM_NEWADDR, cancellationToken).ConfigureAwait(false);
        return [.. replies.Select(payload => NetlinkCodec.ParseAddress(payload)).OfType<AddressInfo>()];
    }

    public void Dispose() => _socket.Dispose();

    private async Task<List<byte[]>> DumpAsync(ushort request, int bodyLength, ushort replyType, CancellationToken cancellationToken)
    {
        var sequence = Interlocked.Increment(ref _sequence);
        await _socket.SendAsync(NetlinkCodec.DumpRequest(request, sequence, bodyLength), SocketFlags.None, cancellationToken).ConfigureAwait(false);
        var payloads = new List<byte[]>();
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var received = await _socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (received == 0)
            {
                throw new IOException($"netlink dump (type {request}) in {_where} ended without NLMSG_DONE");
            }
            foreach (var message in NetlinkCodec.SplitMessages(buffer.AsSpan(0, received)))
            {
                if (message.Sequence != sequence)
                {
                    continue;
                }
                switch (message.Type)
                {
                    case NetlinkNative.NLMSG_DONE:
                        return payloads;
                    case NetlinkNative.NLMSG_ERROR when NetlinkCodec.ErrorCode(message.Payload) != 0:
                        var errno = -NetlinkCodec.ErrorCode(message.Payload);
                        throw new IOException($"netlink dump (type {request}) in {_where} failed: {System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})", errno);
                    default:
                        if (message.Type == replyType)
                        {
                            payloads.Add(message.Payload);
                        }
                        break;
                }
            }
        }
    }

    private static Socket CreateSocket()
    {
        var fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
        if (fd < 0)
        {
            throw Netns.NetnsNative.Error("opening an rtnetlink socket failed");
        }
        return new Socket(new SafeSocketHandle(fd, ownsHandle: true));
    }
}
