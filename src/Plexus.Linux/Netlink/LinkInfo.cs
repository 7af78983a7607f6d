using System.Net.NetworkInformation;

namespace Plexus.Linux.Netlink;

/// <summary>A network interface as the kernel reports it (RTM_NEWLINK).</summary>
/// <param name="Kind">The rtnetlink link kind ("veth", "bridge", "macvlan"…); null for physical and loopback links.</param>
public sealed record LinkInfo(int Index, string Name, PhysicalAddress? Mac, int Mtu, bool IsUp, string? Kind, int MasterIndex);
