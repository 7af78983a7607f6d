using System.Net;

namespace Plexus.Linux.Netlink;

/// <summary>An address assigned to a link (RTM_NEWADDR): the interface's own address and prefix length.</summary>
public sealed record AddressInfo(int LinkIndex, IPAddress Address, int PrefixLength)
{
    public override string ToString() => $"{Address}/{PrefixLength}";
}
