namespace Plexus.Cni.Skel;

/// <summary>What one verb needs: its env variables and the lowest config version that may use it.</summary>
internal sealed record VerbRule(CniCommand Command, string Name, CniVersion MinConfigVersion, IReadOnlyList<string> RequiredEnv);

/// <summary>
/// The declarative table of the plugin side (libcni skel semantics): required env per verb and the
/// one version gate (CHECK from 0.4.0, GC and STATUS from 1.1.0).
/// </summary>
internal static class VerbRules
{
    private static readonly string[] Attach = [CniEnv.ContainerId, CniEnv.Netns, CniEnv.IfName, CniEnv.Path];

    public static IReadOnlyList<VerbRule> All { get; } =
    [
        new(CniCommand.Add, "ADD", CniVersion.V010, Attach),
        new(CniCommand.Del, "DEL", CniVersion.V010, [CniEnv.ContainerId, CniEnv.IfName, CniEnv.Path]),
        new(CniCommand.Check, "CHECK", CniVersion.V040, Attach),
        new(CniCommand.Gc, "GC", CniVersion.V110, [CniEnv.Path]),
        new(CniCommand.Status, "STATUS", CniVersion.V110, [CniEnv.Path]),
        new(CniCommand.Version, "VERSION", CniVersion.V010, []),
    ];

    /// <summary>Reads <c>CNI_COMMAND</c>; missing or unknown is code 4 naming the variable.</summary>
    public static VerbRule Read(IReadOnlyDictionary<string, string> env)
    {
        var name = CniEnv.Get(env, CniEnv.Command)
            ?? throw CniEnv.Missing([CniEnv.Command]);
        return All.FirstOrDefault(r => r.Name == name)
            ?? throw CniException.InvalidEnvironment(
                $"unknown {CniEnv.Command} \"{name}\"",
                "expected one of " + string.Join(", ", All.Select(r => r.Name)));
    }

    /// <summary>The config version must allow the verb (code 1 otherwise, libcni's wording).</summary>
    public static void RequireConfigVersion(VerbRule rule, CniVersion configVersion)
    {
        if (configVersion < rule.MinConfigVersion)
        {
            throw new CniException(
                CniErrorCode.IncompatibleVersion,
                $"config version does not allow {rule.Name}",
                $"config is \"{configVersion}\"; {rule.Name} needs cniVersion {rule.MinConfigVersion} or later");
        }
    }
}
