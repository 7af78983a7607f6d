namespace Plexus.NodeAgent.Doctor;

/// <summary>
/// Finds a delegate's binary and asks it VERSION (<see cref="PluginVersionProbe"/> in production,
/// a table in tests).
/// </summary>
public interface IPluginProbe
{
    PluginProbeResult Probe(string type, CancellationToken cancellationToken);
}

/// <summary>Where the binary is (null: not found), the versions it answered, or why VERSION failed.</summary>
public sealed record PluginProbeResult(string? Path, IReadOnlyList<string> SupportedVersions, string? Error);
