using Plexus.Daemon.Cni;

namespace Plexus.Daemon.Tests.Testing;

/// <summary>A handler whose behaviour each test scripts; it records the calls and the peak concurrency.</summary>
internal sealed class ScriptedHandler(Func<CniCall, CancellationToken, Task<CniOutcome>> script) : ICniCallHandler
{
    private int _running;
    private int _peak;
    private int _calls;

    public int Peak => Volatile.Read(ref _peak);

    public int Calls => Volatile.Read(ref _calls);

    public async Task<CniOutcome> HandleAsync(CniCall call, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        var now = Interlocked.Increment(ref _running);
        int peak;
        while (now > (peak = Volatile.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, now, peak) != peak)
        {
        }
        try
        {
            return await script(call, cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _running);
        }
    }
}
