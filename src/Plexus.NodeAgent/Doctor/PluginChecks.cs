using System.Text.Json.Nodes;
using Plexus.Cni.Config;
using Plexus.Cni.Json;
using Plexus.NodeAgent.Selection;

namespace Plexus.NodeAgent.Doctor;

/// <summary>
/// Checks that every plugin the node would run exists in the bin dirs, answers VERSION and
/// supports the config's cniVersion: the primary's plugins and IPAM plugins, and Plexus's own type.
/// </summary>
public static class PluginChecks
{
    public static IReadOnlyList<Finding> Check(PrimarySelection selection, IPluginProbe probe, CancellationToken cancellationToken)
    {
        var findings = new List<Finding>();
        if (selection.Primary is { List: { } primary } file)
        {
            var version = JsonScalars.String(primary.Raw["cniVersion"]) ?? "";
            foreach (var type in TypesOf(primary))
            {
                findings.AddRange(CheckType(type, version, file.Name, probe, cancellationToken));
            }
        }
        if (selection.Files.FirstOrDefault(f => f.IsOwnOutput)?.List is { } own)
        {
            var version = JsonScalars.String(own.Raw["cniVersion"]) ?? "";
            findings.AddRange(CheckType(own.PluginType(0), version, selection.Files.First(f => f.IsOwnOutput).Name, probe, cancellationToken));
        }
        return findings;
    }

    private static IEnumerable<string> TypesOf(NetworkConfigList list) =>
        list.Plugins.SelectMany(p => new[] { MetaPlugins.TypeOf(p), (p["ipam"] as JsonObject) is { } ipam ? MetaPlugins.TypeOf(ipam) : null })
            .OfType<string>()
            .Distinct(StringComparer.Ordinal);

    private static IEnumerable<Finding> CheckType(string type, string version, string file, IPluginProbe probe, CancellationToken cancellationToken)
    {
        var result = probe.Probe(type, cancellationToken);
        if (result.Path is null)
        {
            yield return new(FindingSeverity.Error, "missing-binary", file,
                $"plugin \"{type}\": {result.Error ?? "no executable in the bin dirs"}");
        }
        else if (result.Error is not null)
        {
            yield return new(FindingSeverity.Error, "version-failed", file, $"plugin \"{type}\" ({result.Path}): {result.Error}");
        }
        else if (!result.SupportedVersions.Contains(version))
        {
            yield return new(FindingSeverity.Error, "unsupported-cni-version", file,
                $"plugin \"{type}\" ({result.Path}) supports {string.Join(", ", result.SupportedVersions)}, not cniVersion {version}");
        }
    }
}
