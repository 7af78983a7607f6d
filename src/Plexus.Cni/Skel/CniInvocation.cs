using Plexus.Cni.Config;

namespace Plexus.Cni.Skel;

/// <summary>
/// One validated plugin call (ADD, DEL, CHECK, GC or STATUS), built once from the env and stdin the
/// runtime gave. Validation follows the spec and libcni's skel: required env per verb (code 4 naming
/// the variables), container id and interface name rules (4), CNI_ARGS pairs (4), then the config
/// (6 bad JSON or a non-string cniVersion, 7 missing/invalid name or type, 1 malformed or non-canonical cniVersion).
/// </summary>
public sealed record CniInvocation
{
    public required CniCommand Command { get; init; }

    /// <summary>Absent only for GC and STATUS.</summary>
    public string? ContainerId { get; init; }

    /// <summary>Absent for DEL (may be gone), GC and STATUS.</summary>
    public string? Netns { get; init; }

    public string? IfName { get; init; }

    public CniArgs Args { get; init; } = CniArgs.Empty;

    /// <summary><c>CNI_PATH</c> split on ':' (empty entries dropped).</summary>
    public IReadOnlyList<string> Path { get; init; } = [];

    public required NetworkConfig Config { get; init; }

    /// <summary>The stdin bytes as received (for caches that must store the config verbatim).</summary>
    public ReadOnlyMemory<byte> Stdin { get; init; }

    /// <summary>Validates env + stdin. VERSION has no invocation: <see cref="PluginDispatcher"/> answers it.</summary>
    public static CniInvocation Create(IReadOnlyDictionary<string, string> env, ReadOnlyMemory<byte> stdin)
    {
        var rule = VerbRules.Read(env);
        if (rule.Command == CniCommand.Version)
        {
            throw new InvalidOperationException("VERSION carries no invocation; PluginDispatcher answers it");
        }
        CniEnv.Validate(env, rule.RequiredEnv);
        return new CniInvocation
        {
            Command = rule.Command,
            ContainerId = CniEnv.Get(env, CniEnv.ContainerId),
            Netns = CniEnv.Get(env, CniEnv.Netns),
            IfName = CniEnv.Get(env, CniEnv.IfName),
            Args = CniArgs.Parse(CniEnv.Get(env, CniEnv.Args)),
            Path = (CniEnv.Get(env, CniEnv.Path) ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries),
            Config = NetworkConfig.Parse(stdin.Span),
            Stdin = stdin,
        };
    }
}
