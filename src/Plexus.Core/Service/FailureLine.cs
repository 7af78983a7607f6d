using Plexus.Cni;
using Plexus.Cni.Skel;

namespace Plexus.Core.Service;

/// <summary>
/// The error line a failed verb leaves in the log, as Multus logs every failure: the verb, container, pod, and the
/// code, message and details the runtime gets. Written where every verb passes (<see cref="MetaPlugin"/>), so a
/// failure is logged once, not once per layer it crossed. Errors never carry credentials, so neither does the line.
/// </summary>
internal static class FailureLine
{
    public static string Describe(CniInvocation invocation, Exception error)
    {
        var (code, message, details) = error switch
        {
            CniException e => (e.Code, e.Message, e.Details),
            OperationCanceledException => (CniErrorCode.TryAgainLater, "cancelled (a termination signal, or plexusd's deadline or shutdown)", "the runtime retries the call"),
            // What the dispatcher answers for it; the stack trace goes to stderr from there.
            _ => (PluginDispatcher.InternalErrorCode, $"internal error: {error.GetType().Name}: {error.Message}", "this is a Plexus bug"),
        };
        var subject = invocation.ContainerId is { Length: > 0 } id ? $" of container {id}" : "";
        var pod = PodIdentity.From(invocation.Args) is { } identity ? $" (pod {identity.Ref})" : "";
        var tail = string.IsNullOrEmpty(details) ? "" : $" ({details})";
        return $"{invocation.Command.ToString().ToUpperInvariant()}{subject}{pod} failed with code {code}: {message}{tail}";
    }
}
