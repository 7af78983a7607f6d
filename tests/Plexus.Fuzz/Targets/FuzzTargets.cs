namespace Plexus.Fuzz.Targets;

/// <summary>Every target, by name.</summary>
public static class FuzzTargets
{
    public static IReadOnlyList<IFuzzTarget> All { get; } =
    [
        new ConfigTarget(), new ResultTarget(), new CniArgsTarget(), new SkelEnvTarget(), new AnnotationTarget(),
        new NadTarget(), new NetConfTarget(), new DaemonBodyTarget(), new KubeconfigTarget(), new HttpResponseTarget(),
        new DaemonRequestHeadTarget(), new KubeObjectTarget(), new KubeletResponseTarget(),
    ];

    public static IFuzzTarget? Find(string name) => All.FirstOrDefault(t => t.Name == name);
}
