using System.Runtime.InteropServices;

namespace Plexus.Cni.IO;

/// <summary>
/// An unbuffered, non-seekable stream over a descriptor the process does not own (stdin, stdout, stderr).
/// Every call is one read(2) or a write(2) loop, so the descriptor's shared file offset advances and
/// O_APPEND is honoured: output redirected to a regular file lands after what others wrote before it,
/// and what others write next lands after it. Async calls complete synchronously: they are small and
/// the caller is waiting for them; no thread pool is needed.
/// </summary>
internal sealed class FdStream(int fd, FileAccess access) : Stream
{
    public override bool CanRead => access.HasFlag(FileAccess.Read);

    public override bool CanWrite => access.HasFlag(FileAccess.Write);

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(Span<byte> buffer)
    {
        if (!CanRead)
        {
            throw new NotSupportedException($"file descriptor {fd} is open for writing only");
        }
        var n = FileDescriptor.Read(fd, buffer);
        return n >= 0 ? n : throw Failure("read from", -n);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        new(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (!CanWrite)
        {
            throw new NotSupportedException($"file descriptor {fd} is open for reading only");
        }
        if (FileDescriptor.WriteAll(fd, buffer) is var errno and not 0)
        {
            throw Failure("write to", errno);
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Write(buffer.AsSpan(offset, count));
        return Task.CompletedTask;
    }

    // Unbuffered: every write has already reached the kernel.
    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    private IOException Failure(string what, int errno) =>
        new($"cannot {what} file descriptor {fd}: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
}
