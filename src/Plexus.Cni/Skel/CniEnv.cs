namespace Plexus.Cni.Skel;

/// <summary>Names of the spec's environment variables.</summary>
public static class CniEnv
{
    public const string Command = "CNI_COMMAND";
    public const string ContainerId = "CNI_CONTAINERID";
    public const string Netns = "CNI_NETNS";
    public const string IfName = "CNI_IFNAME";
    public const string Args = "CNI_ARGS";
    public const string Path = "CNI_PATH";

    /// <summary>An env value, with empty treated as unset (as Go's os.Getenv does).</summary>
    public static string? Get(IReadOnlyDictionary<string, string> env, string name) =>
        env.TryGetValue(name, out var value) && value.Length > 0 ? value : null;
}
