using Plexus.Cni;
using Plexus.Cni.Config;
using Plexus.Cni.Json;
using Plexus.Cni.Skel;
using Plexus.Core.Planning;

namespace Plexus.Core.Service;

/// <summary>
/// A <c>/delegate</c> call checked the way Multus's daemon reads it: <c>CNI_COMMAND</c> ADD, DEL or CHECK,
/// <c>CNI_CONTAINERID</c>, <c>CNI_NETNS</c> (may be empty for DEL), <c>CNI_IFNAME</c> (default <c>eth0</c>), the pod in
/// <c>CNI_ARGS</c>; <c>CNI_PATH</c> is optional (the controller sends none). The config is ONE network (conf or conflist).
/// </summary>
internal sealed record HotPlugRequest(CniInvocation Invocation, DelegateNetwork Network, PodIdentity Pod)
{
    private const string DefaultIfName = "eth0";

    /// <summary>Multus's needs: no CNI_PATH (the controller sends none) nor CNI_IFNAME (it defaults); DEL may find the netns gone.</summary>
    private static readonly string[] AttachEnv = [CniEnv.ContainerId, CniEnv.Netns];

    private static readonly string[] DelEnv = [CniEnv.ContainerId];

    public string IfName => Invocation.IfName!;

    public static HotPlugRequest Parse(IReadOnlyDictionary<string, string> env, ReadOnlyMemory<byte> networkConfig)
    {
        var command = Command(CniEnv.Get(env, CniEnv.Command));
        CniEnv.Validate(env, command == CniCommand.Del ? DelEnv : AttachEnv);
        var args = CniArgs.Parse(CniEnv.Get(env, CniEnv.Args));
        var pod = PodIdentity.From(args) ?? throw CniException.InvalidEnvironment(
            "CNI_ARGS name no pod (K8S_POD_NAMESPACE and K8S_POD_NAME)", "a hot-plug is always into a running pod");
        var network = NetworkOf(networkConfig.Span);
        return new HotPlugRequest(new CniInvocation
        {
            Command = command,
            ContainerId = CniEnv.Get(env, CniEnv.ContainerId),
            Netns = CniEnv.Get(env, CniEnv.Netns),
            IfName = CniEnv.Get(env, CniEnv.IfName) ?? DefaultIfName,
            Args = WithIgnoreUnknown(args),
            Path = (CniEnv.Get(env, CniEnv.Path) ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries),
            // The call's config is the network itself, in list form; its first plugin names the type.
            Config = new NetworkConfig
            {
                Name = network.Name,
                Type = network.List.PluginType(0),
                CniVersion = network.List.CniVersion,
                Raw = network.Conf,
            },
            Stdin = networkConfig,
        }, network, pod);
    }

    /// <summary>
    /// The controller sends only the pod's keys; like Multus (which rebuilds the args with <c>IgnoreUnknown=1</c>),
    /// the delegates are told to ignore them, or host-local refuses the K8S_POD_* keys it does not know.
    /// </summary>
    private static CniArgs WithIgnoreUnknown(CniArgs args) =>
        args.IgnoreUnknown ? args : new CniArgs([new(CniArgs.IgnoreUnknownKey, "1"), .. args.Pairs.Where(p => p.Key != CniArgs.IgnoreUnknownKey)]);

    private static CniCommand Command(string? name) => name switch
    {
        "ADD" => CniCommand.Add,
        "DEL" => CniCommand.Del,
        "CHECK" => CniCommand.Check,
        null => throw CniEnv.Missing([CniEnv.Command]),
        _ => throw CniException.InvalidEnvironment($"/delegate does not serve {CniEnv.Command} \"{name}\"",
            "a hot-plug is ADD, DEL or CHECK of one network; send other verbs to /cni"),
    };

    /// <summary>A conf or conflist with a name: the result cache and a later DEL find the attachment by it.</summary>
    private static DelegateNetwork NetworkOf(ReadOnlySpan<byte> json)
    {
        var conf = CniJson.ParseObject(json, "network config");
        if (JsonScalars.String(conf["name"]) is not { Length: > 0 } name)
        {
            throw CniException.InvalidConfig("the network config has no \"name\"",
                "a hot-plugged network is found again (result cache, DEL) by its name");
        }
        return DelegateNetwork.Create(conf, name, name);
    }
}
