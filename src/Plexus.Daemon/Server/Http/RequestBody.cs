using Plexus.Cni;
using Plexus.Daemon.Protocol;

namespace Plexus.Daemon.Server.Http;

/// <summary>
/// A request body as it is read: one array, grown only as far as the body needs and counted in the socket's
/// <see cref="BodyBudget"/> before it is allocated, until the request is answered (then the array is dropped, so a large
/// one is not kept by an idle connection). A Content-Length body is sized once; a chunked one doubles as its chunks
/// announce more (so its data is copied a bounded number of times), never past <see cref="MaxBytes"/>.
/// </summary>
internal sealed class RequestBody(BodyBudget budget) : IDisposable
{
    /// <summary>plexus-shim reads the same constant and does not send a larger request.</summary>
    public const int MaxBytes = DaemonEndpoints.MaxRequestBodyBytes;

    private byte[] _bytes = [];

    public int Length { get; private set; }

    /// <summary>What was read: handed to the request's handler without another copy.</summary>
    public ReadOnlyMemory<byte> Content => _bytes.AsMemory(0, Length);

    /// <summary>Makes room for <paramref name="more"/> bytes after the ones read, which the caller then appends.</summary>
    /// <exception cref="HttpRequestRejected">
    /// 413: the body would exceed <see cref="MaxBytes"/>; 400 with code 11: the budget of all bodies is used up.
    /// </exception>
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
        var grown = Math.Max(needed, Math.Min(2L * _bytes.Length, MaxBytes));
        if (!budget.TryTake(grown - _bytes.Length))
        {
            throw HttpRequestRejected.Cni(400, new CniException(CniErrorCode.TryAgainLater,
                $"plexusd is busy: request bodies being read or run already hold {budget.Limit >> 20} MiB, all it buffers at once",
                "the runtime will retry this request"));
        }
        var bytes = new byte[grown];
        _bytes.AsSpan(0, Length).CopyTo(bytes);
        _bytes = bytes;
    }

    /// <summary>Adds bytes within the room <see cref="Reserve"/> made.</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        data.CopyTo(_bytes.AsSpan(Length));
        Length += data.Length;
    }

    /// <summary>Gives the body's bytes back to the budget; a second call gives back nothing.</summary>
    public void Dispose()
    {
        budget.Return(_bytes.Length);
        _bytes = [];
        Length = 0;
    }

    /// <summary>Answered with the CNI error JSON, so the shim prints why instead of a bare status.</summary>
    public static HttpRequestRejected TooLarge() => HttpRequestRejected.Cni(413, CniException.InvalidConfig(
        "plexusd: request body larger than 4 MiB",
        "a CNI call's config and environment must fit in 4 MiB; check the size of the network config"));
}
