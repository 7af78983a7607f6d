namespace Plexus.Bench;

/// <summary>Where the published Plexus binaries and Debian's reference plugins are.</summary>
internal sealed record BenchPaths(string ArtifactsBin, string CniPluginDir)
{
    public string Plexus => Path.Combine(ArtifactsBin, "plexus");

    public string Plugin(string type) => Path.Combine(CniPluginDir, type);

    public void Validate()
    {
        foreach (var path in new[] { Plexus, Plugin("bridge") })
        {
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"{path} is missing: run `make publish` and install containernetworking-plugins", path);
            }
        }
    }
}
