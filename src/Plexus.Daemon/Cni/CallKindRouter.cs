namespace Plexus.Daemon.Cni;

/// <summary>Hands <c>/cni</c> calls to the meta-plugin and <c>/delegate</c> calls to the hot-plug; both share the endpoint's admission and accounting.</summary>
public sealed class CallKindRouter(ICniCallHandler cni, ICniCallHandler hotPlug) : ICniCallHandler
{
    public Task<CniOutcome> HandleAsync(CniCall call, CancellationToken cancellationToken) =>
        call.Kind == CniCallKind.Delegate ? hotPlug.HandleAsync(call, cancellationToken) : cni.HandleAsync(call, cancellationToken);
}
