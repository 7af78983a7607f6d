using System.Net.Sockets;
using System.Text;

namespace Plexus.Daemon.Protocol.Tests.Shim;

/// <summary>
/// A unix-socket listener that plays a daemon: answers every connection with canned bytes after reading the
/// request (or, with <c>headOnly</c>, only its head, then closes with the body unread, as a daemon refusing it at the
/// head does), or (with a null answer) accepts and never answers. Records what it received.
/// </summary>
internal sealed class FakeDaemon : IDisposable
{
    private readonly Socket _listener = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
    private readonly CancellationTokenSource _stop = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("plexus-shim-").FullName;

    private readonly bool _headOnly;

    public FakeDaemon(string? answer, bool headOnly = false)
    {
        _headOnly = headOnly;
        _listener.Bind(new UnixDomainSocketEndPoint(SocketPath));
        _listener.Listen(16);
        _ = Task.Run(() => ServeAsync(answer));
    }

    public string SocketDir => _dir;

    public string SocketPath => Path.Combine(_dir, DaemonEndpoints.SocketFileName);

    public TaskCompletionSource<string> Received { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private async Task ServeAsync(string? answer)
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            _ = Task.Run(() => AnswerAsync(client, answer));
        }
    }

    private async Task AnswerAsync(Socket client, string? answer)
    {
        using (client)
        {
            var request = new StringBuilder();
            var buffer = new byte[64 * 1024];
            try
            {
                while (!IsComplete(request.ToString()))
                {
                    var n = await client.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                    if (n == 0)
                    {
                        break;
                    }
                    request.Append(Encoding.UTF8.GetString(buffer, 0, n));
                }
                Received.TrySetResult(request.ToString());
                if (answer is null)
                {
                    await Task.Delay(Timeout.Infinite, _stop.Token);
                }
                await client.SendAsync(Encoding.UTF8.GetBytes(answer!), SocketFlags.None, _stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException)
            {
            }
        }
    }

    private bool IsComplete(string request)
    {
        var end = request.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0 || _headOnly)
        {
            return end >= 0;
        }
        var lengthLine = request[..end].Split("\r\n").First(l => l.StartsWith("Content-Length:", StringComparison.Ordinal));
        return request.Length - end - 4 >= int.Parse(lengthLine["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
