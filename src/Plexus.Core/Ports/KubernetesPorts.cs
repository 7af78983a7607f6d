namespace Plexus.Core.Ports;

/// <summary>Everything the meta-plugin asks of the API server, created only when a verb needs it.</summary>
public sealed record KubernetesPorts(IPodClient Pods, INetworkAttachmentClient Definitions)
{
    /// <summary>
    /// Opens the connection the next request will use, so its cost overlaps a delegate; never called while a request
    /// is under way, and a failure is left for that request to report. Null: connections are opened on demand.
    /// </summary>
    public Action<CancellationToken>? ConnectAhead { get; init; }

    /// <summary>When the credential these ports send stops working (an exec plugin's short-lived token): a long-lived
    /// holder builds new ports from then on. Null: no stated end.</summary>
    public DateTimeOffset? CredentialExpiry { get; init; }

    /// <summary>
    /// <see cref="Pods"/> with every read answered by the API server itself, for the one check a cache would answer
    /// wrongly: whether the pod of a name that refused a write is still the one of the write's UID. Unset: <see cref="Pods"/>
    /// (which reads live, unless a cache is put in front of it).
    /// </summary>
    public IPodClient LivePods
    {
        get => field ?? Pods;
        init;
    }
}
