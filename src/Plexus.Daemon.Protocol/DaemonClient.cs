using Plexus.Cni;
using Plexus.Http;
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
        var deadline = BlockingSocket.DeadlineAfter(timeouts.Overall);
        using var connection = new BlockingSocketStream(Connect(socketPath, timeouts, cancellationToken))
        {
            Deadline = deadline,
            Cancellation = cancellationToken,
        };
        try
        {
            connection.Write(BuildRequest(path, body));
            var answer = new Http11ResponseReader(connection, MaxResponseBytes).Read("POST");
            return new DaemonReply(answer.StatusCode, answer.Body);
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
}
