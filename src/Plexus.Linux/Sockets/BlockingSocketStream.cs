namespace Plexus.Linux.Sockets;

/// <summary>
/// A <see cref="BlockingSocket"/> as a synchronous stream (for <c>SslStream</c> and HTTP framing).
/// A connection may outlive one exchange: each exchange sets the deadline and cancellation its reads and writes watch.
/// </summary>
public sealed class BlockingSocketStream(BlockingSocket socket) : Stream
{
    /// <summary>A <see cref="System.Diagnostics.Stopwatch"/> timestamp (<see cref="BlockingSocket.DeadlineAfter"/>) by which every read and write must be done.</summary>
    public long Deadline { get; set; }

    public CancellationToken Cancellation { get; set; }

    public override bool CanRead => true;
    public override bool CanWrite => true;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer) => socket.Receive(buffer, Deadline, Cancellation);

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer) => socket.Send(buffer, Deadline, Cancellation);

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            socket.Dispose();
        }
        base.Dispose(disposing);
    }
}
