namespace Plexus.Core.Ports;

/// <summary>An event to record on a pod.</summary>
public sealed record PodEvent(PodEventType Type, string Reason, string Message)
{
    public static PodEvent AddedInterface(string ifName, IEnumerable<string> ips, string network) =>
        new(PodEventType.Normal, "AddedInterface", $"Add {ifName} [{string.Join(",", ips)}] from {network}");

    public static PodEvent NoNetworkFound(string message) => new(PodEventType.Warning, "NoNetworkFound", message);
}

public enum PodEventType
{
    Normal,
    Warning,
}
