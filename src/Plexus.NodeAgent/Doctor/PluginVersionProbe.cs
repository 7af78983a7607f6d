using Plexus.Cni;
using Plexus.Cni.Invoke;

namespace Plexus.NodeAgent.Doctor;

/// <summary>The doctor's probe over Plexus.Cni.Invoke: libcni lookup in the bin dirs, then a cached VERSION run.</summary>
public sealed class PluginVersionProbe(IPluginExecutor executor, IReadOnlyList<string> binDirs) : IPluginProbe
{
    private readonly PluginVersionCache _versions = new(executor);

    public PluginProbeResult Probe(string type, CancellationToken cancellationToken)
    {
        string path;
        try
        {
            path = executor.Locate(type, binDirs);
        }
        catch (CniException e)
        {
            return new PluginProbeResult(null, [], Describe(e));
        }
        try
        {
            var versions = _versions.GetSupportedVersionsAsync(path, cancellationToken).GetAwaiter().GetResult();
            return new PluginProbeResult(path, versions.Select(v => v.ToString()).ToList(), null);
        }
        catch (CniException e)
        {
            return new PluginProbeResult(path, [], "VERSION failed: " + Describe(e));
        }
    }

    private static string Describe(CniException e) => string.IsNullOrEmpty(e.Details) ? e.Message : $"{e.Message} ({e.Details})";
}
