using Plexus.Cni;
using Plexus.Http;
using Plexus.Linux;
using Plexus.Linux.Sockets;

namespace Plexus.Daemon.Protocol;

/// <summary>
/// One HTTP/1.1 POST over the daemon's unix socket, with a connect timeout and an overall deadline.
/// Hand-rolled rather than HttpClient: the shim runs once per CNI call and must start fast.
/// Every failure to get an answer is a CNI "try again later" (code 11) naming the socket; a request too large for the
/// daemon is a permanent error instead.
/// </summary>
internal static class DaemonClient
{
    private const int MaxResponseBytes = 16 << 20;

    /// <exception cref="CniException">
    /// Code 7 when <paramref name="body"/> is above plexusd's limit (nothing is sent); code 11 when no answer came.
    /// </exception>
    public static DaemonReply Post(
        string socketPath, string path, byte[] body, DaemonTimeouts timeouts, CancellationToken cancellationToken)
    {
        if (body.Length > DaemonEndpoints.MaxRequestBodyBytes)
        {
            throw TooLarge(socketPath, $"the request is {body.Length} bytes, above plexusd's limit of {DaemonEndpoints.MaxRequestBodyBytes} bytes");
        }
        var deadline = BlockingSocket.DeadlineAfter(timeouts.Overall);
        using var connection = new BlockingSocketStream(Connect(socketPath, timeouts, cancellationToken))
        {
            Deadline = deadline,
            Cancellation = cancellationToken,
        };
        SocketCallException? sendFailed = null;
        try
        {
            try
            {
                connection.Write(BuildRequest(path, body));
            }
            // The daemon may answer before it has read the whole request (a refusal at the head) and close: its answer,
            // already on the socket, says why, where the broken send would only say that something failed.
            catch (SocketCallException e) when (e.Errno is Errno.EPIPE or Errno.ECONNRESET)
            {
                sendFailed = e;
            }
            var answer = new Http11ResponseReader(connection, MaxResponseBytes).Read("POST");
            return new DaemonReply(answer.StatusCode, answer.Body);
        }
        catch (Exception e) when (sendFailed is not null && e is IOException or InvalidDataException)
        {
            throw Unavailable(socketPath, $"connection failed: {sendFailed.Message}", "check that plexusd is running");
        }
        catch (SocketCallException e) when (e.IsTimeout)
        {
            throw Unavailable(socketPath, $"no answer within {timeouts.Overall.TotalSeconds:0.#} s",
                "the daemon accepted the request but did not finish it in time; check plexusd's log");
        }
        catch (Exception e) when (e is SocketCallException or EndOfStreamException)
        {
            throw Unavailable(socketPath, $"connection failed: {e.Message}", "check that plexusd is running");
        }
        catch (InvalidDataException e)
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
                    "start plexusd, or check daemonSocketDir (and daemonSocketName) in the CNI config against plexusd's socketDir and socketName, then retry"),
                Errno.ECONNREFUSED => Unavailable(socketPath, "daemon is not running (stale socket, nothing listening)",
                    "start plexusd; it removes the stale socket itself"),
                Errno.EACCES => Unavailable(socketPath, "permission denied",
                    "the socket is 0600: run the shim as the daemon's user (root)"),
                _ => Unavailable(socketPath, $"cannot connect ({e.Message})", "check that plexusd is running"),
            };
        }
    }

    internal static byte[] BuildRequest(string path, byte[] body) =>
        Http11Request.Format("POST", path, "plexusd", [new("Content-Type", "application/json"), new("Connection", "close")], body);

    internal static CniException Unavailable(string socketPath, string what, string hint) =>
        new(CniErrorCode.TryAgainLater, $"plexus daemon at {socketPath}: {what}", hint);

    /// <summary>
    /// A request plexusd will not read: not "try again later" (code 11), which a runtime retries for ever, but an invalid
    /// config (code 7), since the network config is what makes it large and a retry fails the same way.
    /// </summary>
    internal static CniException TooLarge(string socketPath, string what) =>
        CniException.InvalidConfig($"plexus daemon at {socketPath}: {what}",
            $"plexusd reads request bodies up to {DaemonEndpoints.MaxRequestBodyBytes} bytes (4 MiB: the network config from stdin base64-encoded, with the CNI environment), so about 3 MiB of config; make the network config smaller");
}
