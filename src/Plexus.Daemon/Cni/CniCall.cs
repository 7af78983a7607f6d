using Plexus.Cni;
using Plexus.Daemon.Protocol;

namespace Plexus.Daemon.Cni;

/// <summary>Which endpoint a request arrived on: a whole CNI operation or a hot-plug of one network.</summary>
public enum CniCallKind
{
    Cni,
    Delegate,
}

/// <summary>
/// One request as received: the runtime's CNI environment and stdin, untouched, and <paramref name="ErrorVersion"/>, the
/// version of the errors plexusd answers for it itself, read from the config before anything runs (see <see cref="StdinConfig"/>).
/// </summary>
public sealed record CniCall(CniCallKind Kind, CniRequestBody Body, CniVersion ErrorVersion)
{
    public string Command => Env("CNI_COMMAND") ?? "";

    public string ContainerId => Env("CNI_CONTAINERID") ?? "";

    public string? Env(string name) => Body.Env.TryGetValue(name, out var value) ? value : null;
}
