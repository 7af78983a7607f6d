namespace Plexus.Cni.Invoke;

/// <summary>Builds a plugin's CNI_* environment on top of the inherited one.</summary>
public static class PluginEnvironment
{
    /// <summary>The CNI_* variables libcni sets; inherited values are always removed so a nested
    /// runtime (Plexus running as a plugin) never leaks its own request into a delegate.</summary>
    public static IReadOnlyList<string> Names { get; } = ["CNI_COMMAND", "CNI_CONTAINERID", "CNI_NETNS", "CNI_IFNAME", "CNI_ARGS", "CNI_PATH"];

    /// <summary>Sets the invocation's CNI_* variables in <paramref name="environment"/>; unset ones are removed.</summary>
    public static void Apply(IDictionary<string, string?> environment, PluginInvocation invocation)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(invocation);
        foreach (var name in Names)
        {
            environment.Remove(name);
        }
        Set(environment, "CNI_COMMAND", invocation.Command);
        Set(environment, "CNI_CONTAINERID", invocation.ContainerId);
        Set(environment, "CNI_NETNS", invocation.NetnsPath);
        Set(environment, "CNI_IFNAME", invocation.IfName);
        Set(environment, "CNI_ARGS", invocation.Args.Pairs.Count == 0 ? null : invocation.Args.Format());
        Set(environment, "CNI_PATH", invocation.PluginDirs.Count == 0 ? null : string.Join(':', invocation.PluginDirs));
    }

    private static void Set(IDictionary<string, string?> environment, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            environment[name] = value;
        }
    }
}
