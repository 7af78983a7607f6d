using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Plexus.Linux.Netns;
using static Plexus.Linux.Netlink.NetlinkNative;

namespace Plexus.Linux.Netlink;

/// <summary>
/// A small rtnetlink client. The socket is bound to the namespace it was created in, so a client
/// opened for a namespace can then be used from any thread without entering it again. Calls are
/// synchronous: the kernel answers a dump at once, and asynchronous socket I/O would start the
/// thread pool and an epoll thread in a CNI process that otherwise needs neither.
/// </summary>
public sealed class NetlinkClient : IDisposable
{
    private readonly SafeFileHandle _socket;
    private readonly string _where;
    private uint _sequence;

    private NetlinkClient(SafeFileHandle socket, string where)
    {
        _socket = socket;
        _where = where;
    }

    /// <summary>Opens a client for the caller's own network namespace.</summary>
    public static NetlinkClient Open() => new(CreateSocket(), "the current network namespace");

    /// <summary>Opens a client for the network namespace at <paramref name="netnsPath"/>.</summary>
    public static NetlinkClient Open(string netnsPath, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return new(NetnsRunner.CreateIn(netnsPath, CreateSocket), $"network namespace {netnsPath}");
    }

    public IReadOnlyList<LinkInfo> ListLinks(CancellationToken cancellationToken) =>
        [.. Dump(RTM_GETLINK, IfInfoMsgLength, RTM_NEWLINK, cancellationToken).Select(payload => NetlinkCodec.ParseLink(payload))];

    /// <summary>The link named <paramref name="name"/>, or null when the namespace has none.</summary>
    public LinkInfo? FindLink(string name, CancellationToken cancellationToken) =>
        ListLinks(cancellationToken).FirstOrDefault(l => l.Name == name);

    public IReadOnlyList<AddressInfo> ListAddresses(CancellationToken cancellationToken) =>
        [.. Dump(RTM_GETADDR, IfAddrMsgLength, RTM_NEWADDR, cancellationToken).Select(payload => NetlinkCodec.ParseAddress(payload)).OfType<AddressInfo>()];

    public void Dispose() => _socket.Dispose();

    private List<byte[]> Dump(ushort request, int bodyLength, ushort replyType, CancellationToken cancellationToken)
    {
        var sequence = Interlocked.Increment(ref _sequence);
        var dumpRequest = NetlinkCodec.DumpRequest(request, sequence, bodyLength);
        if (Retrying(() => send(_socket, dumpRequest, (nuint)dumpRequest.Length, 0)) < 0)
        {
            throw Netns.NetnsNative.Error($"sending a netlink dump request (type {request}) in {_where} failed");
        }
        var payloads = new List<byte[]>();
        var buffer = new byte[64 * 1024];
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var received = (int)Retrying(() => recv(_socket, buffer, (nuint)buffer.Length, 0));
            if (received < 0)
            {
                throw Netns.NetnsNative.Error($"reading a netlink dump (type {request}) in {_where} failed");
            }
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

    private static SafeFileHandle CreateSocket()
    {
        var fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
        if (fd < 0)
        {
            throw Netns.NetnsNative.Error("opening an rtnetlink socket failed");
        }
        return new SafeFileHandle(fd, ownsHandle: true);
    }

    private static nint Retrying(Func<nint> call)
    {
        nint result;
        while ((result = call()) < 0 && Marshal.GetLastPInvokeError() == Errno.EINTR)
        {
        }
        return result;
    }
}
