using System.Net.Sockets;
using System.Text;

namespace Plexus.Daemon.Server.Http;

/// <summary>
/// One accepted connection: HTTP/1.1 requests in turn (keep-alive), each read in full (head ≤ 16 KiB, body ≤ 4 MiB),
/// handed to the router, answered with a Content-Length. While a request runs, the next read is already pending, so a
/// client that hangs up cancels the request's token (a queued CNI request then leaves the queue at once).
/// </summary>
/// <param name="bodies">Where request bodies are counted; null on a listener that takes none (the metrics port).</param>
/// <param name="requestTimeout">How long the connection may take to send a whole request once it is idle.</param>
internal sealed class Http1Connection(
    Socket socket, bool onMetricsPort, BodyBudget? bodies, Func<DaemonRequest, CancellationToken, Task<DaemonResponse>> handle,
    TimeSpan requestTimeout, TimeProvider time)
{
    public const int MaxHeadBytes = 16 << 10;

    /// <summary>What the read buffer starts with and shrinks back to once a larger head has been read.</summary>
    private const int BufferBytes = 4096;

    private static readonly byte[] HeadEnd = "\r\n\r\n"u8.ToArray();
    private static readonly byte[] Continue = "HTTP/1.1 100 Continue\r\n\r\n"u8.ToArray();

    private readonly NetworkStream _stream = new(socket, ownsSocket: true);
    private byte[] _buffer = new byte[BufferBytes];
    private int _start;
    private int _end;
    private Task<int>? _pending;

    /// <param name="stopping">
    /// Ends the connection while it waits for a next request; a running request still finishes. So does a request
    /// that is not complete within the request timeout.
    /// </param>
    public async Task RunAsync(CancellationToken stopping)
    {
        try
        {
            while (await ServeNextAsync(stopping).ConfigureAwait(false))
            {
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

    /// <summary>Reads, runs and answers one request.</summary>
    /// <returns>Whether the connection stays open for another.</returns>
    private async Task<bool> ServeNextAsync(CancellationToken stopping)
    {
        HttpRequestHead head;
        // Counted in the socket's budget until the handler is done with it (or the request fails).
        using var body = bodies is null ? null : new RequestBody(bodies);
        using var timeout = new CancellationTokenSource(requestTimeout, time);
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(stopping, timeout.Token);
        try
        {
            if (await ReadHeadAsync(reading.Token).ConfigureAwait(false) is not { } headLength)
            {
                return false;
            }
            head = HttpRequestHead.Parse(_buffer.AsSpan(_start, headLength));
            _start += headLength + HeadEnd.Length;
            if (head.HasBody)
            {
                if (body is null)
                {
                    throw new HttpRequestRejected(413, "the metrics port takes no request body");
                }
                if (!head.Chunked)
                {
                    // Before the client is told to go on, so a refused one need not send its body.
                    body.Reserve(head.ContentLength);
                }
            }
            if (head.ExpectContinue)
            {
                await _stream.WriteAsync(Continue, reading.Token).ConfigureAwait(false);
            }
            if (body is not null)
            {
                await (head.Chunked ? ReadChunkedAsync(body, reading.Token) : ReadBodyAsync(body, head.ContentLength, reading.Token)).ConfigureAwait(false);
            }
        }
        catch (HttpRequestRejected rejected)
        {
            await WriteAsync(rejected.Response, keepAlive: false, withBody: true, reading.Token).ConfigureAwait(false);
            return false;
        }
        using var aborted = new CancellationTokenSource();
        WatchForHangUp(aborted);
        var request = new DaemonRequest(head.Method, head.Path, body?.Content ?? ReadOnlyMemory<byte>.Empty, onMetricsPort);
        var response = await handle(request, aborted.Token).ConfigureAwait(false);
        // Given back before the answer is written: a client slow to read it holds none of the budget.
        body?.Dispose();
        // Answered even while the daemon stops (a drain waits for exactly these); Abort ends a write that never drains.
        await WriteAsync(response, head.KeepAlive, withBody: head.Method != "HEAD", CancellationToken.None).ConfigureAwait(false);
        return head.KeepAlive;
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

    /// <summary>Reads a Content-Length body into the room already reserved for it.</summary>
    private async Task ReadBodyAsync(RequestBody body, long length, CancellationToken stopping)
    {
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

    /// <summary>
    /// Moves the unread bytes to the front, into a buffer of the first size again once a large head has been taken,
    /// and grows the buffer when it is full; never while a read is pending.
    /// </summary>
    private void MakeRoom()
    {
        if (_start > 0)
        {
            var unread = _buffer.AsSpan(_start, _end - _start);
            if (_buffer.Length > BufferBytes && unread.Length < BufferBytes)
            {
                _buffer = new byte[BufferBytes];
            }
            unread.CopyTo(_buffer);
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
