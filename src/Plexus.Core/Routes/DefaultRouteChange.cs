using System.Net;
using System.Net.Sockets;

namespace Plexus.Core.Routes;

/// <summary>
/// One address family's default-route edit inside the pod: delete that family's default
/// routes from <see cref="RemoveFrom"/>, then add <c>default via Gateway dev IfName</c>.
/// </summary>
internal sealed record DefaultRouteChange(AddressFamily Family, IPAddress Gateway, string IfName, IReadOnlyList<string> RemoveFrom)
{
    public string FamilyName => Family == AddressFamily.InterNetwork ? "IPv4" : "IPv6";
}
