using Plexus.Cni.IO;
using Plexus.Integration.Tests.MetaPlugin;
using Plexus.Linux.Netlink;

namespace Plexus.Integration.Tests.Hardening;

/// <summary>
/// What a pod's networking can leave behind on the node: veth ends in the node namespace, host-local
/// reservations, delegate cache files, libcni result caches and temp files of interrupted writes.
/// </summary>
internal static class Leftovers
{
    public static Task<IReadOnlyList<string>> FindAsync(MetaPluginBed bed, CancellationToken cancellationToken)
    {
        var found = new List<string>();
        using (var netlink = NetlinkClient.Open(bed.Node.NetnsPath, cancellationToken))
        {
            found.AddRange(netlink.ListLinks(cancellationToken).Where(l => l.Name.StartsWith("veth", StringComparison.Ordinal)).Select(l => $"link {l.Name}"));
        }
        found.AddRange(bed.ReservedAddresses().Select(a => $"host-local reservation {a}"));
        if (Directory.Exists(bed.CniDir))
        {
            found.AddRange(Directory.EnumerateFiles(bed.CniDir).Select(f => $"delegate cache {Path.GetFileName(f)}"));
            var results = Path.Combine(bed.CniDir, "results");
            if (Directory.Exists(results))
            {
                found.AddRange(Directory.EnumerateFiles(results).Select(f => $"result cache {Path.GetFileName(f)}"));
            }
        }
        found.AddRange(Directory.EnumerateFiles(bed.Node.Root, AtomicFile.TempPrefix + "*", SearchOption.AllDirectories).Select(f => $"temp file {f}"));
        return Task.FromResult<IReadOnlyList<string>>(found);
    }

    /// <summary>Links in a pod namespace other than loopback (the namespace must be empty after DEL).</summary>
    public static Task<IReadOnlyList<string>> PodLinksAsync(string netnsPath, CancellationToken cancellationToken)
    {
        using var netlink = NetlinkClient.Open(netnsPath, cancellationToken);
        return Task.FromResult<IReadOnlyList<string>>(netlink.ListLinks(cancellationToken).Select(l => l.Name).Where(n => n != "lo").ToList());
    }
}
