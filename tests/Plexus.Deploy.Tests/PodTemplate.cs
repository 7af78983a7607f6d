using System.Text.Json.Nodes;

namespace Plexus.Deploy.Tests;

/// <summary>A DaemonSet's pod template, read the way the kubelet would use it.</summary>
internal sealed class PodTemplate(JsonObject daemonSet)
{
    public JsonNode Spec { get; } = daemonSet["spec"]?["template"]?["spec"]
        ?? throw new Xunit.Sdk.XunitException("DaemonSet without spec.template.spec");

    public IEnumerable<JsonObject> InitContainers => Manifests.Objects(Spec["initContainers"]);

    public IEnumerable<JsonObject> Containers =>
        Manifests.Objects(Spec["initContainers"]).Concat(Manifests.Objects(Spec["containers"]));

    public IEnumerable<JsonObject> Volumes => Manifests.Objects(Spec["volumes"]);

    public IEnumerable<JsonObject> Mounts(JsonObject container) => Manifests.Objects(container["volumeMounts"]);

    public JsonObject Container(string name) =>
        Containers.SingleOrDefault(c => Manifests.Str(c, "name") == name)
        ?? throw new Xunit.Sdk.XunitException($"no container {name}");

    /// <summary>Host path of each hostPath volume, by volume name.</summary>
    public IReadOnlyDictionary<string, string> HostPaths =>
        Volumes.Where(v => v["hostPath"] is not null)
            .ToDictionary(v => Manifests.Str(v, "name")!, v => Manifests.Str(v["hostPath"], "path")!);

    /// <summary>The command line a container runs: command then args.</summary>
    public static IReadOnlyList<string> CommandLine(JsonObject container) =>
        [.. Manifests.Strings(container["command"]), .. Manifests.Strings(container["args"])];
}
