using System.Text.Json.Nodes;

namespace Plexus.Deploy.Tests;

/// <summary>
/// A temp dir standing in for a node's filesystem: each hostPath volume of a pod template maps
/// to the same path under it, so a container's args can be run here with its mounts honoured.
/// </summary>
internal sealed class NodeRoot : IDisposable
{
    private readonly List<(string MountPath, string HostPath)> _mounts;

    public NodeRoot(PodTemplate pod, JsonObject container)
    {
        Path = Directory.CreateTempSubdirectory("plexus-node-root.").FullName;
        _mounts = pod.Mounts(container)
            .Where(m => pod.HostPaths.ContainsKey(Manifests.Str(m, "name")!))
            .Select(m => (Manifests.Str(m, "mountPath")!, pod.HostPaths[Manifests.Str(m, "name")!]))
            .OrderByDescending(m => m.Item1.Length)
            .ToList();
        foreach (var (_, hostPath) in _mounts)
        {
            Directory.CreateDirectory(OnNode(hostPath));
        }
    }

    public string Path { get; }

    /// <summary>Where a host path is in this stand-in.</summary>
    public string OnNode(string hostPath) => Path + hostPath;

    /// <summary>A container path resolved through the mounts, or null when no hostPath mount covers it.</summary>
    public string? HostPathOf(string containerPath) =>
        _mounts.Where(m => containerPath == m.MountPath || containerPath.StartsWith(m.MountPath + "/", StringComparison.Ordinal))
            .Select(m => m.HostPath + containerPath[m.MountPath.Length..])
            .FirstOrDefault();

    /// <summary>The args with every mounted container path replaced by its place in this stand-in.</summary>
    public IReadOnlyList<string> Remap(IEnumerable<string> args) => args.Select(RemapArg).ToList();

    public void Dispose() => Directory.Delete(Path, recursive: true);

    private string RemapArg(string arg)
    {
        var eq = arg.IndexOf('=');
        if (!arg.StartsWith("--", StringComparison.Ordinal) || eq < 0)
        {
            return arg;
        }
        var value = arg[(eq + 1)..];
        return HostPathOf(value) is { } host ? arg[..(eq + 1)] + OnNode(host) : arg;
    }
}
