using Plexus.NodeAgent.Doctor;

namespace Plexus.NodeAgent.Tests.Doctor;

/// <summary>Answers for listed types; every other type is present and speaks every version.</summary>
internal sealed class FakeProbe(IPluginProbe? fallback = null) : Dictionary<string, PluginProbeResult>, IPluginProbe
{
    public PluginProbeResult Probe(string type, CancellationToken cancellationToken) =>
        TryGetValue(type, out var result) ? result
        : fallback?.Probe(type, cancellationToken) ?? new PluginProbeResult("/opt/cni/bin/" + type, ["0.3.1", "0.4.0", "1.0.0", "1.1.0"], null);
}
