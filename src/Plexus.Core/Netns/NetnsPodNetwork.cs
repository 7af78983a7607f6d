using System.Diagnostics;
using System.Net.Sockets;
using Plexus.Cni;
using Plexus.Core.Routes;
using Plexus.Linux.Netlink;
using Plexus.Linux.Netns;

namespace Plexus.Core.Netns;

/// <summary>
/// Links are looked up over netlink; default routes are edited with iproute2's <c>ip</c>, started
/// from a thread inside the pod namespace so the child process inherits it.
/// </summary>
internal sealed class NetnsPodNetwork : IPodNetwork
{
    private static readonly string[] IpCandidates = ["/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"];

    public Task<IReadOnlySet<string>> InterfaceNamesAsync(string netnsPath, CancellationToken cancellationToken)
    {
        try
        {
            using var netlink = NetlinkClient.Open(netnsPath, cancellationToken);
            return Task.FromResult<IReadOnlySet<string>>(netlink.ListLinks(cancellationToken).Select(link => link.Name).ToHashSet(StringComparer.Ordinal));
        }
        catch (IOException e)
        {
            throw CniException.Io($"cannot list the links of pod namespace {netnsPath}: {e.Message}", inner: e);
        }
    }

    public Task ApplyDefaultRoutesAsync(string netnsPath, IReadOnlyList<DefaultRouteChange> changes, CancellationToken cancellationToken) =>
        NetnsRunner.RunAsync(netnsPath, () =>
        {
            foreach (var change in changes)
            {
                var family = change.Family == AddressFamily.InterNetwork ? "-4" : "-6";
                var everything = change.Family == AddressFamily.InterNetwork ? "0.0.0.0/0" : "::/0";
                foreach (var other in change.RemoveFrom)
                {
                    RunIp(netnsPath, family, "route", "flush", "exact", everything, "dev", other);
                }
                RunIp(netnsPath, family, "route", "replace", "default", "via", change.Gateway.ToString(), "dev", change.IfName);
            }
            return true;
        }, cancellationToken);

    private static void RunIp(string netnsPath, params string[] args)
    {
        var info = new ProcessStartInfo(IpCandidates.FirstOrDefault(File.Exists) ?? "ip")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        using var process = Process.Start(info) ?? throw CniException.Io("cannot start ip");
        var stderr = process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw CniException.Io(
                $"default-route edit failed in pod namespace {netnsPath}: ip {string.Join(' ', args)}: {stderr.Trim()}",
                "check the gateway is reachable on the requested interface");
        }
    }
}
