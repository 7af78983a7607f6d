using System.Text.Json.Nodes;
using Plexus.Cni.Json;

namespace Plexus.Cni.Config;

/// <summary>
/// One plugin's network config (a <c>.conf</c>, a plugin's stdin). The JSON is kept opaque in
/// <see cref="Raw"/> so keys Plexus does not know survive unchanged; the typed properties are views
/// of the well-known keys. Treat <see cref="Raw"/> as read-only (DeepClone before editing).
/// </summary>
public sealed record NetworkConfig
{
    public required string Name { get; init; }

    public required string Type { get; init; }

    /// <summary>The config's cniVersion (0.1.0 when absent, as libcni assumes); may be one Plexus does not support.</summary>
    public required CniVersion CniVersion { get; init; }

    /// <summary>The raw <c>cniVersion</c> text, null when absent.</summary>
    public string? CniVersionText { get; init; }

    public IReadOnlyDictionary<string, bool> Capabilities { get; init; } = new Dictionary<string, bool>();

    public required JsonObject Raw { get; init; }

    /// <summary>
    /// Parses config bytes: bad JSON or a cniVersion that is not a string → code 6; missing/invalid type or name → code 7;
    /// cniVersion text that is not a canonical version → code 1.
    /// </summary>
    public static NetworkConfig Parse(ReadOnlySpan<byte> json) => FromJson(CniJson.ParseObject(json, "network config"));

    /// <summary>Validates an already-parsed config object (copied, so later edits to <paramref name="raw"/> do not leak in).</summary>
    public static NetworkConfig FromJson(JsonObject raw)
    {
        const string where = "network config";
        var versionText = ConfigFields.VersionText(raw, where);
        return new NetworkConfig
        {
            Type = ConfigFields.RequireString(raw, "type", where),
            Name = ConfigFields.RequireName(raw, where),
            CniVersion = ConfigFields.ParseVersion(versionText, where),
            CniVersionText = versionText,
            Capabilities = ConfigFields.Capabilities(raw, where),
            Raw = raw.DeepClone().AsObject(),
        };
    }

    /// <summary>Compact config bytes with the unknown keys as they were.</summary>
    public byte[] ToBytes() => CniJson.ToBytes(Raw);
}
