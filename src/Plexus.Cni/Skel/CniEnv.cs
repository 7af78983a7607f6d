namespace Plexus.Cni.Skel;

/// <summary>The spec's environment variables: their names, how a value is read, and the one check of a call's env.</summary>
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

    /// <summary>
    /// Checks an env against the variables its verb needs, which differ between callers (libcni skel's table for a
    /// plugin call, Multus's for plexusd's <c>/delegate</c>): one code-4 error names every one unset, as libcni's skel
    /// does; then a container id or interface name that is set must be well-formed (code 4).
    /// </summary>
    public static void Validate(IReadOnlyDictionary<string, string> env, IEnumerable<string> required)
    {
        var missing = required.Where(name => Get(env, name) is null).ToList();
        if (missing.Count > 0)
        {
            throw Missing(missing);
        }
        if (Get(env, ContainerId) is { } containerId && !CniNames.IsValidId(containerId))
        {
            throw CniException.InvalidEnvironment(
                $"invalid characters in {ContainerId} \"{containerId}\"",
                "container ids must match ^[a-zA-Z0-9][a-zA-Z0-9_.\\-]*$");
        }
        if (Get(env, IfName) is { } ifName && CniNames.IfNameProblem(ifName) is { } problem)
        {
            throw CniException.InvalidEnvironment($"invalid {IfName}: {problem}");
        }
    }

    /// <summary>Code 4 naming the unset variables, in libcni's words.</summary>
    public static CniException Missing(IEnumerable<string> names) =>
        CniException.InvalidEnvironment($"required env variables [{string.Join(", ", names)}] missing");
}
