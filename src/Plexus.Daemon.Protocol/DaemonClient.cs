using System.Net.Sockets;
using System.Text;
using Plexus.Cni;

namespace Plexus.Daemon.Protocol;

/// <summary>
/// One HTTP/1.1 POST over the daemon's unix socket, with a connect timeout and an overall deadline.
/// Hand-rolled rather than HttpClient: the shim runs once per CNI call and must start fast.
/// Every failure to get an answer is a CNI "try again later" (code 11) naming the socket.
/// </summary>
internal static class DaemonClient
{
    private const int MaxResponseBytes = 16 << 20;

    public static async Task<DaemonReply> PostAsync(
        string socketPath, string path, byte[] body, DaemonTimeouts timeouts, CancellationToken cancellationToken)
    {
        using var overall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        overall.CancelAfter(timeouts.Overall);
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await ConnectAsync(socket, socketPath, timeouts, overall.Token).ConfigureAwait(false);
        try
        {
            await socket.SendAsync(BuildRequest(path, body), SocketFlags.None, overall.Token).ConfigureAwait(false);
            return await ReadReplyAsync(socket, overall.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw Unavailable(socketPath, $"no answer within {timeouts.Overall.TotalSeconds:0.#} s",
                "the daemon accepted the request but did not finish it in time; check plexusd's log");
        }
        catch (SocketException e)
        {
            throw Unavailable(socketPath, $"connection failed: {e.Message}", "check that plexusd is running");
        }
        catch (FormatException e)
        {
            throw Unavailable(socketPath, $"unreadable answer: {e.Message}", "is another program listening on this socket?");
        }
    }

    private static async Task ConnectAsync(Socket socket, string socketPath, DaemonTimeouts timeouts, CancellationToken overall)
    {
        using var connect = CancellationTokenSource.CreateLinkedTokenSource(overall);
        connect.CancelAfter(timeouts.Connect);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), connect.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (connect.IsCancellationRequested)
        {
            throw Unavailable(socketPath, $"connect timed out after {timeouts.Connect.TotalSeconds:0.#} s",
                "plexusd is not accepting connections; check that it is running and not overloaded");
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressNotAvailable)
        {
            throw Unavailable(socketPath, "daemon is not running (no socket file)",
                "start plexusd, or check daemonSocketDir in the CNI config, then retry");
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
        {
            throw Unavailable(socketPath, "daemon is not running (stale socket, nothing listening)",
                "start plexusd; it removes the stale socket itself");
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AccessDenied)
        {
            throw Unavailable(socketPath, "permission denied", "the socket is 0600: run the shim as the daemon's user (root)");
        }
        catch (SocketException e)
        {
            throw Unavailable(socketPath, $"cannot connect ({e.Message})", "check that plexusd is running");
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

    private static async Task<DaemonReply> ReadReplyAsync(Socket socket, CancellationToken cancellationToken)
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
            var read = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, cancellationToken).ConfigureAwait(false);
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
