namespace Plexus.KubeSim.Faults;

/// <summary>
/// Fault injection, switchable while the simulator runs. Applies to resource requests (not to
/// discovery, health or the control endpoints), so clients can still find the API.
/// </summary>
public sealed class FaultSwitches
{
    private readonly object _gate = new();
    private TimeSpan _latency;
    private double _errorShare;
    private int _errorCode = 500;
    private Random _random = new();

    /// <summary>Delay added before every resource request is answered.</summary>
    public TimeSpan Latency
    {
        get { lock (_gate) return _latency; }
        set { lock (_gate) _latency = value < TimeSpan.Zero ? TimeSpan.Zero : value; }
    }

    /// <summary>Share (0..1) of resource requests answered with <see cref="ErrorCode"/> instead.</summary>
    public double ErrorShare
    {
        get { lock (_gate) return _errorShare; }
        set { lock (_gate) _errorShare = Math.Clamp(value, 0, 1); }
    }

    /// <summary>500 (InternalError) or 429 (TooManyRequests, with Retry-After: 1).</summary>
    public int ErrorCode
    {
        get { lock (_gate) return _errorCode; }
        set
        {
            if (value is not (500 or 429)) throw new ArgumentOutOfRangeException(nameof(value), value, "fault error code must be 500 or 429");
            lock (_gate) _errorCode = value;
        }
    }

    /// <summary>Makes error injection repeatable in tests.</summary>
    public void Seed(int seed)
    {
        lock (_gate) _random = new Random(seed);
    }

    /// <summary>Clears latency and error injection (connection refusal is the server's to switch).</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _latency = TimeSpan.Zero;
            _errorShare = 0;
            _errorCode = 500;
        }
    }

    internal int? NextError()
    {
        lock (_gate)
        {
            return _errorShare > 0 && _random.NextDouble() < _errorShare ? _errorCode : null;
        }
    }
}
