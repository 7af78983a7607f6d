namespace Plexus.Daemon.Cni;

/// <summary>
/// The port the server hands requests to. plexusd binds it to the same meta-plugin service the thin
/// plugin runs; the server itself only does transport, admission, timeouts and accounting.
/// </summary>
public interface ICniCallHandler
{
    /// <summary>Runs one call. Expected failures come back as <see cref="CniOutcome.Error"/>, not exceptions.</summary>
    Task<CniOutcome> HandleAsync(CniCall call, CancellationToken cancellationToken);
}
