using Plexus.Cni;

namespace Plexus.Daemon.Cni;

/// <summary>Who a request is about, for log scopes and metric labels; never fails, unknown parts are empty.</summary>
internal sealed record CallIdentity(string Verb, string Pod, string ContainerId, string Network)
{
    private static readonly HashSet<string> Verbs = ["ADD", "DEL", "CHECK", "GC", "STATUS", "VERSION"];

    public static CallIdentity Of(CniCall call, string network)
    {
        var pod = "";
        try
        {
            var args = CniArgs.Parse(call.Env("CNI_ARGS"));
            if (args.Get("K8S_POD_NAME") is { Length: > 0 } name)
            {
                pod = (args.Get("K8S_POD_NAMESPACE") ?? "") + "/" + name;
            }
        }
        catch (CniException)
        {
            // Reported by the handler with the rest of the environment's errors.
        }
        // The verb becomes a metric label: keep the label set bounded whatever a client sends.
        var verb = Verbs.Contains(call.Command) ? call.Command : "invalid";
        return new CallIdentity(verb, pod, call.ContainerId, network);
    }

    /// <summary>The request's log scope: structured fields for the JSON formatter, <c>key=value</c> text for the plain one.</summary>
    public CallScope ToScope() => new(this);
}
