using Plexus.Cni;

namespace Plexus.Core.Selection;

/// <summary>Checks every key of a parsed selection element, adding one message per problem.</summary>
internal static class NetworkSelectionValidator
{
    public static void Validate(NetworkSelection s, string where, List<string> errors)
    {
        void Add(string problem) => errors.Add($"{where}: {problem}");

        if (string.IsNullOrEmpty(s.Name))
        {
            Add("\"name\" is missing");
        }
        else if (!KubeNames.IsDns1123Subdomain(s.Name))
        {
            Add($"name \"{s.Name}\" is not a valid object name (DNS-1123 subdomain)");
        }
        if (s.Namespace is { } ns && !KubeNames.IsDns1123Label(ns))
        {
            Add($"namespace \"{ns}\" is not a valid namespace (DNS-1123 label)");
        }
        if (s.RequestedInterface is { } ifName && CniNames.IfNameProblem(ifName) is { } ifProblem)
        {
            Add(ifProblem);
        }
        foreach (var ip in s.Ips ?? [])
        {
            if (!IpText.IsAddressOrCidr(ip))
            {
                Add($"ips entry \"{ip}\" is neither an IP address nor a CIDR");
            }
        }
        if (s.Ips is { Count: > 0 } && !string.IsNullOrEmpty(s.IpamClaimReference))
        {
            Add("\"ips\" and \"ipam-claim-reference\" cannot be used together: the claim decides the addresses");
        }
        if (s.Mac is { } mac && !MacText.IsValid(mac))
        {
            Add($"mac \"{mac}\" is not a valid hardware address");
        }
        // Upstream parses the GUID as a hardware address too (an InfiniBand GUID is EUI-64).
        if (s.InfinibandGuid is { } guid && !MacText.IsValid(guid))
        {
            Add($"infiniband-guid \"{guid}\" is not a valid hardware address (e.g. c2:11:22:33:44:55:66:77)");
        }
        foreach (var gateway in s.DefaultRoute ?? [])
        {
            if (!IpText.TryParseIp(gateway, out _))
            {
                Add($"default-route entry \"{gateway}\" is not an IP address");
            }
        }
        ValidatePortMappings(s.PortMappings, Add);
        if (s.Bandwidth is { } b && (b.IngressRate < 0 || b.IngressBurst < 0 || b.EgressRate < 0 || b.EgressBurst < 0))
        {
            Add("bandwidth rates and bursts must not be negative");
        }
    }

    private static void ValidatePortMappings(List<PortMapping>? mappings, Action<string> add)
    {
        foreach (var m in mappings ?? [])
        {
            if (m is null)
            {
                add("portMappings contains null");
                continue;
            }
            if (m.HostPort is < 1 or > 65535 || m.ContainerPort is < 1 or > 65535)
            {
                add($"portMappings entry {m.HostPort}->{m.ContainerPort}: ports must be 1-65535");
            }
            if (m.Protocol is { } p && p.ToLowerInvariant() is not ("tcp" or "udp" or "sctp"))
            {
                add($"portMappings entry {m.HostPort}->{m.ContainerPort}: protocol \"{p}\" is not tcp, udp or sctp");
            }
            if (m.HostIp is { Length: > 0 } hostIp && !IpText.TryParseIp(hostIp, out _))
            {
                add($"portMappings entry {m.HostPort}->{m.ContainerPort}: hostIP \"{hostIp}\" is not an IP address");
            }
        }
    }
}
