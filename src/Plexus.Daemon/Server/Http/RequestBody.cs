namespace Plexus.Daemon.Server.Http;

/// <summary>
/// A request body as it is read: one array, grown only as far as the body needs. A Content-Length body is sized once;
/// a chunked one doubles as its chunks announce more (so its data is copied a bounded number of times), never past
/// <see cref="MaxBytes"/>.
/// </summary>
internal sealed class RequestBody
{
    public const int MaxBytes = 4 << 20;

    private byte[] _bytes = [];

    public int Length { get; private set; }

    /// <summary>What was read: handed to the request's handler without another copy.</summary>
    public ReadOnlyMemory<byte> Content => _bytes.AsMemory(0, Length);

    /// <summary>Makes room for <paramref name="more"/> bytes after the ones read, which the caller then appends.</summary>
    /// <exception cref="HttpRequestRejected">413: the body would exceed <see cref="MaxBytes"/>.</exception>
    public void Reserve(long more)
    {
        var needed = Length + more;
        if (needed > MaxBytes)
        {
            throw TooLarge();
        }
        if (needed <= _bytes.Length)
        {
            return;
        }
        var grown = new byte[Math.Max(needed, Math.Min(2L * _bytes.Length, MaxBytes))];
        _bytes.AsSpan(0, Length).CopyTo(grown);
        _bytes = grown;
    }

    /// <summary>Adds bytes within the room <see cref="Reserve"/> made.</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        data.CopyTo(_bytes.AsSpan(Length));
        Length += data.Length;
    }

    public static HttpRequestRejected TooLarge() => new(413, "request body larger than 4 MiB");
}
