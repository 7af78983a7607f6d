using System.Diagnostics;
using Plexus.Cni.Invoke;
using Plexus.Linux.Netlink;
using Plexus.Linux.Netns;

namespace Plexus.Testing;

/// <summary>
/// A throwaway "node" for running real CNI plugins: a node network namespace in which plugins run
/// (so bridges, routes and iptables rules never touch the host), sibling "pod" namespaces, and
/// per-test directories (host-local dataDir, result cache, stub plugins). Disposing removes all of it.
/// </summary>
public sealed class CniTestNode : IAsyncDisposable
{
    public const string DebianPluginDir = "/usr/lib/cni";
    private readonly List<string> _pods = [];
    private int _uplinks;

    private CniTestNode(string name, string netnsPath, string root)
    {
        Name = name;
        NetnsPath = netnsPath;
        Root = root;
        Directory.CreateDirectory(DataDir);
        Directory.CreateDirectory(StubBinDir);
    }

    /// <summary>Name of the node network namespace (under /run/netns).</summary>
    public string Name { get; }

    public string NetnsPath { get; }

    /// <summary>This node's temp directory; everything below is removed on dispose.</summary>
    public string Root { get; }

    /// <summary>host-local's <c>dataDir</c> for this test.</summary>
    public string DataDir => Path.Combine(Root, "ipam");

    /// <summary>Result cache directory (created by the code under test).</summary>
    public string CacheDir => Path.Combine(Root, "cache");

    /// <summary>Where <see cref="WriteStubPlugin"/> puts test plugins; searched before Debian's plugins.</summary>
    public string StubBinDir => Path.Combine(Root, "bin");

    public IReadOnlyList<string> PluginDirs => [StubBinDir, DebianPluginDir];

    public IReadOnlyList<string> PodNetnsPaths => _pods.Select(NetnsManager.PathOf).ToList();

    public static async Task<CniTestNode> CreateAsync(CancellationToken cancellationToken)
    {
        TestNetns.RemoveStale();
        var name = TestNetns.NewName();
        var path = await NetnsManager.CreateAsync(name, cancellationToken);
        var root = Directory.CreateTempSubdirectory(TestNetns.Prefix).FullName;
        var node = new CniTestNode(name, path, root);
        try
        {
            await Ip.RunAsync(cancellationToken, "-n", name, "link", "set", "lo", "up");
            return node;
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }
    }

    /// <summary>Creates an empty pod namespace beside the node namespace; returns its path (the CNI_NETNS value).</summary>
    public async Task<string> CreatePodAsync(CancellationToken cancellationToken)
    {
        var name = TestNetns.NewName();
        _pods.Add(name);
        return await NetnsManager.CreateAsync(name, cancellationToken);
    }

    /// <summary>Creates a veth pair inside the node namespace, both ends up; returns the end to use as macvlan master.</summary>
    public async Task<string> CreateUplinkAsync(CancellationToken cancellationToken)
    {
        var uplink = $"uplink{_uplinks++}";
        await Ip.RunAsync(cancellationToken, "-n", Name, "link", "add", uplink, "type", "veth", "peer", "name", uplink + "p");
        await Ip.RunAsync(cancellationToken, "-n", Name, "link", "set", uplink, "up");
        await Ip.RunAsync(cancellationToken, "-n", Name, "link", "set", uplink + "p", "up");
        return uplink;
    }

    /// <summary>A real process executor whose plugins run inside the node namespace.</summary>
    public ProcessPluginExecutor CreateExecutor(TimeSpan? timeout = null, TimeProvider? timeProvider = null) =>
        new(new ProcessPluginExecutorOptions
        {
            Timeout = timeout ?? TimeSpan.FromSeconds(60),
            TimeProvider = timeProvider ?? TimeProvider.System,
            StartProcess = start => NetnsRunner.Run(NetnsPath, () => { start(); return true; }, CancellationToken.None),
        });

    /// <summary>Writes an executable shell script named <paramref name="name"/> into <see cref="StubBinDir"/>.</summary>
    public string WriteStubPlugin(string name, string body)
    {
        var path = Path.Combine(StubBinDir, name);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    public NetlinkClient OpenNetlink(string netnsPath, CancellationToken cancellationToken) =>
        NetlinkClient.Open(netnsPath, cancellationToken);

    public ValueTask DisposeAsync()
    {
        var errors = new List<Exception>();
        foreach (var name in _pods.Append(Name))
        {
            try
            {
                NetnsManager.Delete(name);
            }
            catch (IOException ex)
            {
                errors.Add(ex);
            }
        }
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
        return errors.Count == 0 ? ValueTask.CompletedTask : ValueTask.FromException(new AggregateException("cleaning up the test node failed", errors));
    }
}
