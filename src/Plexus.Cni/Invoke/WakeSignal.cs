using static Plexus.Cni.Invoke.SpawnNative;

namespace Plexus.Cni.Invoke;

/// <summary>
/// An eventfd that a timer or a cancellation makes readable, so a thread blocked in poll on a
/// plugin's pipes wakes up. Setting it after disposal is a no-op (a late timer callback must not
/// write into a descriptor number that was reused meanwhile).
/// </summary>
internal sealed unsafe class WakeSignal : IDisposable
{
    private readonly Lock _lock = new();
    private int _fd;

    public WakeSignal()
    {
        _fd = eventfd(0, EFD_CLOEXEC);
        if (_fd < 0)
        {
            throw Error("eventfd");
        }
    }

    public int Fd => _fd;

    public void Set()
    {
        lock (_lock)
        {
            if (_fd >= 0)
            {
                var one = 1UL;
                write(_fd, (byte*)&one, sizeof(ulong));
            }
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_fd >= 0)
            {
                close(_fd);
                _fd = -1;
            }
        }
    }
}
