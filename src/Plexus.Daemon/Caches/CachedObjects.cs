namespace Plexus.Daemon.Caches;

/// <summary>What the pod cache keeps of a pod: identity and the annotations the meta-plugin reads.</summary>
public sealed record CachedPod(string Namespace, string Name, string? Uid, IReadOnlyDictionary<string, string> Annotations);

/// <summary>
/// What the NAD cache keeps of a NetworkAttachmentDefinition: <c>spec.config</c> as UTF-8 (half the size of a
/// string; decoded per lookup) and the annotations the meta-plugin reads.
/// </summary>
public sealed record CachedNad(string Namespace, string Name, byte[]? ConfigUtf8, IReadOnlyDictionary<string, string> Annotations)
{
    public string? Config => ConfigUtf8 is null ? null : System.Text.Encoding.UTF8.GetString(ConfigUtf8);
}
