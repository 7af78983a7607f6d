using System.Runtime.InteropServices;
using Microsoft.Extensions.Hosting;

namespace Plexus.Daemon.Server;

/// <summary>
/// Replaces the console lifetime: SIGTERM and SIGINT start a drain instead of stopping the host at once,
/// so requests already admitted finish and new ones get a quick "try again later".
/// </summary>
internal sealed class SignalLifetime(DrainCoordinator coordinator) : IHostLifetime, IDisposable
{
    private readonly List<PosixSignalRegistration> _registrations = [];

    public Task WaitForStartAsync(CancellationToken cancellationToken)
    {
        foreach (var signal in new[] { PosixSignal.SIGTERM, PosixSignal.SIGINT })
        {
            _registrations.Add(PosixSignalRegistration.Create(signal, context =>
            {
                context.Cancel = true;
                _ = coordinator.DrainAndStopAsync(signal.ToString());
            }));
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }
    }
}
