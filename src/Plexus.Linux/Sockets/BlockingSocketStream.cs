namespace Plexus.Linux.Sockets;

/// <summary>
/// A <see cref="BlockingSocket"/> as a synchronous stream (for <c>SslStream</c> and HTTP framing):
/// each read or write must finish within <paramref name="operationTimeout"/>.
/// </summary>
public sealed class BlockingSocketStream(BlockingSocket socket, TimeSpan operationTimeout) : Stream
{
    /// <summary>What the reads and writes of the current exchange watch (a connection outlives one request).</summary>
    public CancellationToken Cancellation { get; set; }

    public override bool CanRead => true;
    public override bool CanWrite => true;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer) => socket.Receive(buffer, BlockingSocket.DeadlineAfter(operationTimeout), Cancellation);

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer) => socket.Send(buffer, BlockingSocket.DeadlineAfter(operationTimeout), Cancellation);

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
