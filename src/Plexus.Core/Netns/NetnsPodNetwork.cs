using System.Net.Sockets;
using Plexus.Cni;
using Plexus.Cni.Invoke;
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
                    RunIp(netnsPath, cancellationToken, family, "route", "flush", "exact", everything, "dev", other);
                }
                RunIp(netnsPath, cancellationToken, family, "route", "replace", "default", "via", change.Gateway.ToString(), "dev", change.IfName);
            }
            return true;
        }, cancellationToken);

    /// <summary>iproute2's <c>ip</c>, or a CNI error saying where it was looked for and what to do.</summary>
    internal static string IpProgram(string netnsPath, IReadOnlyList<string> candidates) =>
        candidates.FirstOrDefault(File.Exists) ?? throw CniException.Io(
            $"default-route cannot be set in pod namespace {netnsPath}: iproute2's ip is not in {string.Join(", ", candidates.Select(Path.GetDirectoryName))}",
            "install iproute2 on the node; in thick mode set chrootDir so plexusd uses the node's ip");

    /// <summary>A route edit answers at once; a hung one must not hold the pod's ADD until the runtime gives up.</summary>
    private static readonly TimeSpan IpTimeout = TimeSpan.FromSeconds(10);

    private static void RunIp(string netnsPath, CancellationToken cancellationToken, params string[] args)
    {
        var ip = IpProgram(netnsPath, IpCandidates);
        ChildProcessOutput? output;
        try
        {
            output = ChildProcess.Run(ip, args, [], IpTimeout, cancellationToken);
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException)
        {
            throw CniException.Io($"default-route cannot be set in pod namespace {netnsPath}: cannot start {ip}: {e.Message}", inner: e);
        }
        if (output is null)
        {
            throw CniException.Io($"default-route edit in pod namespace {netnsPath}: ip {string.Join(' ', args)} did not finish within {IpTimeout.TotalSeconds:0} s and was killed");
        }
        if (output.ExitCode != 0)
        {
            throw CniException.Io(
                $"default-route edit failed in pod namespace {netnsPath}: ip {string.Join(' ', args)}: {System.Text.Encoding.UTF8.GetString(output.Stderr).Trim()}",
                "check the gateway is reachable on the requested interface");
        }
    }
}
