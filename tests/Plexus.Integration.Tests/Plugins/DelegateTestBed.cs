using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Plexus.Cni;
using Plexus.Cni.Config;
using Plexus.Cni.Invoke;
using Plexus.Linux.Netlink;
using Plexus.Testing;

namespace Plexus.Integration.Tests.Plugins;

/// <summary>A test node with one pod and a <see cref="DelegateRuntime"/> that runs real plugins in the node namespace.</summary>
internal sealed class DelegateTestBed : IAsyncDisposable
{
    private DelegateTestBed(CniTestNode node, string pod, ProcessPluginExecutor executor)
    {
        Node = node;
        Pod = pod;
        Executor = executor;
        Versions = new PluginVersionCache(executor);
        Runtime = new DelegateRuntime(executor, Versions, new ResultCache(node.CacheDir), node.PluginDirs);
    }

    public CniTestNode Node { get; }

    public string Pod { get; }

    public ProcessPluginExecutor Executor { get; }

    public PluginVersionCache Versions { get; }

    public DelegateRuntime Runtime { get; }

    public string ResultsDir => Path.Combine(Node.CacheDir, "results");

    public static async Task<DelegateTestBed> CreateAsync(TimeSpan? timeout = null)
    {
        var node = await CniTestNode.CreateAsync(CancellationToken.None);
        try
        {
            return new DelegateTestBed(node, await node.CreatePodAsync(CancellationToken.None), node.CreateExecutor(timeout));
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }
    }

    public RuntimeConf Attachment(string ifName = "net1") => new()
    {
        ContainerId = "ctr-" + Guid.NewGuid().ToString("N")[..12],
        NetnsPath = Pod,
        IfName = ifName,
        Args = CniArgs.Parse("IgnoreUnknown=1;K8S_POD_NAMESPACE=default;K8S_POD_NAME=test"),
    };

    /// <summary>The plugin's VERSION answer, read by running it here rather than through the code under test.</summary>
    public static IReadOnlyList<string> SupportedVersionsAskedDirectly(string pluginPath)
    {
        var info = new ProcessStartInfo(pluginPath) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        info.Environment["CNI_COMMAND"] = "VERSION";
        using var process = Process.Start(info)!;
        try
        {
            process.StandardInput.Write("""{"cniVersion":"1.0.0"}""");
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // An old plugin answers VERSION without reading its stdin and may have exited already (EPIPE): its answer still counts.
        }
        var answer = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{pluginPath} VERSION exited {process.ExitCode}: {answer}");
        return [.. JsonNode.Parse(answer)!["supportedVersions"]!.AsArray().Select(v => (string)v!)];
    }

    public static NetworkConfigList List(string name, CniVersion version, params string[] plugins) =>
        NetworkConfigList.Parse(Encoding.UTF8.GetBytes($$"""{"cniVersion":"{{version}}","name":"{{name}}","plugins":[{{string.Join(',', plugins)}}]}"""));

    public async Task<LinkInfo?> PodLinkAsync(string name) => (await LinksAsync(Pod)).FirstOrDefault(l => l.Name == name);

    public Task<IReadOnlyList<LinkInfo>> LinksAsync(string netns)
    {
        using var netlink = NetlinkClient.Open(netns, CancellationToken.None);
        return Task.FromResult(netlink.ListLinks(CancellationToken.None));
    }

    /// <summary>The addresses of link <paramref name="name"/> in the pod, as "a.b.c.d/len", link-local IPv6 excluded.</summary>
    public Task<IReadOnlyList<string>> PodAddressesAsync(string name)
    {
        using var netlink = NetlinkClient.Open(Pod, CancellationToken.None);
        var link = netlink.FindLink(name, CancellationToken.None);
        IReadOnlyList<string> addresses = link is null ? [] : [.. netlink.ListAddresses(CancellationToken.None)
            .Where(a => a.LinkIndex == link.Index && !(a.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 && a.Address.IsIPv6LinkLocal))
            .Select(a => a.ToString())];
        return Task.FromResult(addresses);
    }

    /// <summary>host-local's reservation files (named by IP) for network <paramref name="network"/>.</summary>
    public IReadOnlyList<string> Reservations(string network)
    {
        var dir = Path.Combine(Node.DataDir, network);
        return Directory.Exists(dir) ? [.. Directory.GetFiles(dir).Select(Path.GetFileName).Where(n => IPAddress.TryParse(n, out _)).OfType<string>()] : [];
    }

    public IReadOnlyList<string> CacheFiles() => Directory.Exists(ResultsDir) ? Directory.GetFiles(ResultsDir) : [];

    public ValueTask DisposeAsync() => Node.DisposeAsync();
}
