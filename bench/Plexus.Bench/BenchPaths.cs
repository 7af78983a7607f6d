namespace Plexus.Bench;

/// <summary>Where the published Plexus binaries and Debian's reference plugins are.</summary>
internal sealed record BenchPaths(string ArtifactsBin, string CniPluginDir)
{
    public string Plexus => Path.Combine(ArtifactsBin, "plexus");

    public string Shim => Path.Combine(ArtifactsBin, "plexus-shim");

    public string Daemon => Path.Combine(ArtifactsBin, "plexusd");

    /// <summary>CNI_PATH for every row: Plexus's binaries first, then the delegates.</summary>
    public string CniPath => $"{ArtifactsBin}:{CniPluginDir}";

    public string Plugin(string type) => Path.Combine(CniPluginDir, type);

    public void Validate()
    {
        foreach (var path in new[] { Plexus, Shim, Daemon, Plugin("bridge"), Plugin("macvlan"), Plugin("host-local") })
        {
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"{path} is missing: run `make publish` and install containernetworking-plugins", path);
            }
        }
    }
}
