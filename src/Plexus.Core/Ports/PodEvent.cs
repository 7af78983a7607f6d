namespace Plexus.Core.Ports;

/// <summary>An event to record on a pod.</summary>
public sealed record PodEvent(PodEventType Type, string Reason, string Message)
{
    /// <summary>
    /// One event for all of a pod's attachments: upstream's text for each (<c>Add &lt;if&gt; [&lt;cidr&gt; …] from
    /// &lt;network&gt;</c>, the addresses as Go prints a list), joined by "; ". Upstream records one event per
    /// attachment; one per ADD keeps the API requests per pod at one.
    /// </summary>
    public static PodEvent AddedInterfaces(IEnumerable<(string IfName, IReadOnlyList<string> Cidrs, string Network)> attachments) =>
        new(PodEventType.Normal, "AddedInterface",
            string.Join("; ", attachments.Select(a => $"Add {a.IfName} [{string.Join(" ", a.Cidrs)}] from {a.Network}")));

    public static PodEvent NoNetworkFound(string message) => new(PodEventType.Warning, "NoNetworkFound", message);
}

public enum PodEventType
{
    Normal,
    Warning,
}
