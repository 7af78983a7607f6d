using System.Diagnostics;
using System.Text;
using Plexus.Cni;
using Plexus.Linux;
using Plexus.Linux.Sockets;

namespace Plexus.Daemon.Protocol;

/// <summary>
/// One HTTP/1.1 POST over the daemon's unix socket, with a connect timeout and an overall deadline.
/// Hand-rolled rather than HttpClient: the shim runs once per CNI call and must start fast.
/// Every failure to get an answer is a CNI "try again later" (code 11) naming the socket.
/// </summary>
internal static class DaemonClient
{
    private const int MaxResponseBytes = 16 << 20;

    public static DaemonReply Post(
        string socketPath, string path, byte[] body, DaemonTimeouts timeouts, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeouts.Overall.TotalSeconds * Stopwatch.Frequency);
        using var connection = Connect(socketPath, timeouts, cancellationToken);
        try
        {
            connection.Send(BuildRequest(path, body), deadline, cancellationToken);
            return ReadReply(connection, deadline, cancellationToken);
        }
        catch (SocketCallException e) when (e.IsTimeout)
        {
            throw Unavailable(socketPath, $"no answer within {timeouts.Overall.TotalSeconds:0.#} s",
                "the daemon accepted the request but did not finish it in time; check plexusd's log");
        }
        catch (SocketCallException e)
        {
            throw Unavailable(socketPath, $"connection failed: {e.Message}", "check that plexusd is running");
        }
        catch (FormatException e)
        {
            throw Unavailable(socketPath, $"unreadable answer: {e.Message}", "is another program listening on this socket?");
        }
    }

    private static BlockingSocket Connect(string socketPath, DaemonTimeouts timeouts, CancellationToken cancellationToken)
    {
        try
        {
            return BlockingSocket.ConnectUnix(socketPath, timeouts.Connect < timeouts.Overall ? timeouts.Connect : timeouts.Overall, cancellationToken);
        }
        catch (SocketCallException e)
        {
            throw e.Errno switch
            {
                _ when e.IsTimeout => Unavailable(socketPath, $"connect timed out after {timeouts.Connect.TotalSeconds:0.#} s",
                    "plexusd is not accepting connections; check that it is running and not overloaded"),
                Errno.ENOENT => Unavailable(socketPath, "daemon is not running (no socket file)",
                    "start plexusd, or check daemonSocketDir in the CNI config, then retry"),
                Errno.ECONNREFUSED => Unavailable(socketPath, "daemon is not running (stale socket, nothing listening)",
                    "start plexusd; it removes the stale socket itself"),
                Errno.EACCES => Unavailable(socketPath, "permission denied",
                    "the socket is 0600: run the shim as the daemon's user (root)"),
                _ => Unavailable(socketPath, $"cannot connect ({e.Message})", "check that plexusd is running"),
            };
        }
    }

    /// <summary>Head and body in one buffer so the request goes out in a single write.</summary>
    internal static byte[] BuildRequest(string path, byte[] body)
    {
        var head = Encoding.ASCII.GetBytes(
            $"POST {path} HTTP/1.1\r\nHost: plexusd\r\nContent-Type: application/json\r\n" +
            $"Content-Length: {body.Length}\r\nConnection: close\r\n\r\n");
        var request = new byte[head.Length + body.Length];
        head.CopyTo(request, 0);
        body.CopyTo(request, head.Length);
        return request;
    }

    private static DaemonReply ReadReply(BlockingSocket connection, long deadline, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        var filled = 0;
        HttpResponseHead? head = null;
        while (true)
        {
            if (filled == buffer.Length)
            {
                if (buffer.Length >= MaxResponseBytes)
                {
                    throw new FormatException($"answer larger than {MaxResponseBytes} bytes");
                }
                Array.Resize(ref buffer, buffer.Length * 2);
            }
            var read = connection.Receive(buffer.AsSpan(filled), deadline, cancellationToken);
            filled += read;
            head ??= HttpResponseHead.TryParse(buffer.AsSpan(0, filled));
            var reply = head is null ? null : TryComplete(head, buffer.AsSpan(0, filled), endOfStream: read == 0);
            if (reply is not null)
            {
                return reply;
            }
            if (read == 0)
            {
                throw new FormatException(head is null ? "connection closed before a complete HTTP head" : "connection closed mid-body");
            }
        }
    }

    private static DaemonReply? TryComplete(HttpResponseHead head, ReadOnlySpan<byte> data, bool endOfStream)
    {
        var body = data[head.BodyOffset..];
        if (head.Chunked)
        {
            return ChunkedBody.TryDecode(body) is { } decoded ? new DaemonReply(head.StatusCode, decoded) : null;
        }
        if (head.ContentLength is { } length)
        {
            return body.Length >= length ? new DaemonReply(head.StatusCode, body[..(int)length].ToArray()) : null;
        }
        return endOfStream ? new DaemonReply(head.StatusCode, body.ToArray()) : null;
    }

    private static CniException Unavailable(string socketPath, string what, string hint) =>
        new(CniErrorCode.TryAgainLater, $"plexus daemon at {socketPath}: {what}", hint);
}
