namespace Plexus.Core.Ports;

/// <summary>Everything the meta-plugin asks of the API server, created only when a verb needs it.</summary>
public sealed record KubernetesPorts(IPodClient Pods, INetworkAttachmentClient Definitions);
