using System.Net.Sockets;
using System.Text;

namespace Plexus.Daemon.Server.Http;

/// <summary>
/// One accepted connection: HTTP/1.1 requests in turn (keep-alive), each read in full (head ≤ 16 KiB, body ≤ 4 MiB),
/// handed to the router, answered with a Content-Length. While a request runs, the next read is already pending, so a
/// client that hangs up cancels the request's token (a queued CNI request then leaves the queue at once).
/// </summary>
internal sealed class Http1Connection(
    Socket socket, bool onMetricsPort, Func<DaemonRequest, CancellationToken, Task<DaemonResponse>> handle, TimeSpan idleTimeout, TimeProvider time)
{
    public const int MaxHeadBytes = 16 << 10;

    private static readonly byte[] HeadEnd = "\r\n\r\n"u8.ToArray();
    private static readonly byte[] Continue = "HTTP/1.1 100 Continue\r\n\r\n"u8.ToArray();

    private readonly NetworkStream _stream = new(socket, ownsSocket: true);
    private byte[] _buffer = new byte[4096];
    private int _start;
    private int _end;
    private Task<int>? _pending;

    /// <param name="stopping">
    /// Ends the connection while it waits for a next request; a running request still finishes. So does a request
    /// that is not complete within the idle timeout.
    /// </param>
    public async Task RunAsync(CancellationToken stopping)
    {
        try
        {
            while (true)
            {
                HttpRequestHead head;
                var body = new RequestBody();
                using var idle = new CancellationTokenSource(idleTimeout, time);
                using var reading = CancellationTokenSource.CreateLinkedTokenSource(stopping, idle.Token);
                try
                {
                    if (await ReadHeadAsync(reading.Token).ConfigureAwait(false) is not { } headLength)
                    {
                        return;
                    }
                    head = HttpRequestHead.Parse(_buffer.AsSpan(_start, headLength));
                    _start += headLength + HeadEnd.Length;
                    if (head.ExpectContinue)
                    {
                        await _stream.WriteAsync(Continue, reading.Token).ConfigureAwait(false);
                    }
                    await (head.Chunked ? ReadChunkedAsync(body, reading.Token) : ReadBodyAsync(body, head.ContentLength, reading.Token)).ConfigureAwait(false);
                }
                catch (HttpRequestRejected rejected)
                {
                    await WriteAsync(DaemonResponse.Text(rejected.Status, rejected.Message), keepAlive: false, withBody: true, reading.Token).ConfigureAwait(false);
                    return;
                }
                var keepAlive = head.KeepAlive;
                using var aborted = new CancellationTokenSource();
                WatchForHangUp(aborted);
                var response = await handle(new DaemonRequest(head.Method, head.Path, body.Content, onMetricsPort), aborted.Token).ConfigureAwait(false);
                // Answered even while the daemon stops (a drain waits for exactly these); Abort ends a write that never drains.
                await WriteAsync(response, keepAlive, withBody: head.Method != "HEAD", CancellationToken.None).ConfigureAwait(false);
                if (!keepAlive)
                {
                    return;
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away or the daemon is stopping: nothing left to answer.
        }
        finally
        {
            await _stream.DisposeAsync().ConfigureAwait(false);
            if (_pending is { } pending)
            {
                // Observed so a read ended by the dispose does not surface as an unobserved task exception.
                _ = pending.ContinueWith(t => t.Exception, TaskScheduler.Default);
            }
        }
    }

    /// <summary>Ends the connection now (the daemon stops and its grace period is over).</summary>
    public void Abort() => socket.Dispose();

    /// <summary>The head's length (without the blank line) once it is in the buffer; null when the client closed cleanly.</summary>
    private async Task<int?> ReadHeadAsync(CancellationToken stopping)
    {
        while (true)
        {
            var end = _buffer.AsSpan(_start, _end - _start).IndexOf(HeadEnd);
            if (end >= 0 && end <= MaxHeadBytes)
            {
                return end;
            }
            if (end > MaxHeadBytes || _end - _start > MaxHeadBytes)
            {
                throw new HttpRequestRejected(431, "request head larger than 16 KiB");
            }
            if (await FillAsync(stopping).ConfigureAwait(false) == 0)
            {
                return _end == _start ? null : throw new IOException("connection closed inside a request head");
            }
        }
    }

    private async Task ReadBodyAsync(RequestBody body, long length, CancellationToken stopping)
    {
        body.Reserve(length);
        while (body.Length < length)
        {
            if (_start == _end && await FillAsync(stopping).ConfigureAwait(false) == 0)
            {
                throw new IOException("connection closed inside a request body");
            }
            var part = (int)Math.Min(_end - _start, length - body.Length);
            body.Append(_buffer.AsSpan(_start, part));
            _start += part;
        }
    }

    private async Task ReadChunkedAsync(RequestBody body, CancellationToken stopping)
    {
        var decoder = new ChunkedDecoder(body);
        while (true)
        {
            _start += decoder.Decode(_buffer.AsSpan(_start, _end - _start));
            if (decoder.IsComplete)
            {
                return;
            }
            if (await FillAsync(stopping).ConfigureAwait(false) == 0)
            {
                throw new IOException("connection closed inside a request body");
            }
        }
    }

    /// <summary>Reads more bytes after the unread ones (first taking the read started while the last request ran).</summary>
    private async Task<int> FillAsync(CancellationToken stopping)
    {
        int read;
        if (_pending is { } pending)
        {
            _pending = null;
            read = await pending.WaitAsync(stopping).ConfigureAwait(false);
        }
        else
        {
            MakeRoom();
            read = await _stream.ReadAsync(_buffer.AsMemory(_end), stopping).ConfigureAwait(false);
        }
        _end += read;
        return read;
    }

    /// <summary>Starts the next read now: it completes with 0 or fails when the client hangs up mid-request.</summary>
    private void WatchForHangUp(CancellationTokenSource aborted)
    {
        MakeRoom();
        _pending = _stream.ReadAsync(_buffer.AsMemory(_end), CancellationToken.None).AsTask();
        _pending.ContinueWith(static (read, state) =>
        {
            if (read.IsFaulted || read.Result == 0)
            {
                try
                {
                    ((CancellationTokenSource)state!).Cancel();
                }
                catch (ObjectDisposedException)
                {
                    // The request had already been answered.
                }
            }
        }, aborted, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>Moves the unread bytes to the front and grows the buffer when it is full; never while a read is pending.</summary>
    private void MakeRoom()
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }
    }

    /// <param name="withBody">False for HEAD: the head still says the length the body would have (RFC 9110 §9.3.2).</param>
    private async Task WriteAsync(DaemonResponse response, bool keepAlive, bool withBody, CancellationToken cancellationToken)
    {
        var head = Encoding.ASCII.GetBytes(
            $"HTTP/1.1 {response.Status} {Reason(response.Status)}\r\nContent-Type: {response.ContentType}\r\nContent-Length: {response.Body.Length}\r\n" +
            (keepAlive ? "" : "Connection: close\r\n") + "\r\n");
        // One write: the head and a small body in one segment.
        var body = withBody ? response.Body : [];
        var message = new byte[head.Length + body.Length];
        head.CopyTo(message, 0);
        body.CopyTo(message, head.Length);
        await _stream.WriteAsync(message, cancellationToken).ConfigureAwait(false);
    }

    private static string Reason(int status) => status switch
    {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        413 => "Content Too Large",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "Status",
    };
}
