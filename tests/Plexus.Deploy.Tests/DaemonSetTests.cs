using System.Text.Json.Nodes;

namespace Plexus.Deploy.Tests;

/// <summary>The DaemonSets are internally consistent and mount exactly the node paths each mode uses.</summary>
public sealed class DaemonSetTests
{
    private static readonly Manifests Deploy = Manifests.Load(Manifests.InstallFiles);

    public static TheoryData<string> DaemonSets => new() { "plexus", "plexusd" };

    // Thin: the agent writes the conf dir (config + kubeconfig) and its backups, install writes the
    // bin dir; the plugin itself runs on the host. Thick: install writes the bin dir; the daemon runs delegates
    // with the node's own files and tools, so it chroots into the whole node (chrootDir).
    public static TheoryData<string, string[]> NodePaths => new()
    {
        { "plexus", ["/etc/cni/net.d", "/opt/cni/bin", "/var/lib/plexus"] },
        { "plexusd", ["/", "/opt/cni/bin"] },
    };

    [Theory]
    [MemberData(nameof(NodePaths))]
    public void HostPaths_EachMode_AreExactlyTheNodeDirsItUses(string daemonSet, string[] expected)
    {
        var pod = new PodTemplate(Deploy.Get("DaemonSet", daemonSet));

        Assert.Equal(expected.Order(), pod.HostPaths.Values.Order());
    }

    [Theory]
    [MemberData(nameof(DaemonSets))]
    public void Volumes_EveryMountHasAVolumeAndEveryVolumeIsMounted(string daemonSet)
    {
        var pod = new PodTemplate(Deploy.Get("DaemonSet", daemonSet));
        var declared = pod.Volumes.Select(v => Manifests.Str(v, "name")).ToHashSet();
        var mounted = pod.Containers.SelectMany(pod.Mounts).Select(m => Manifests.Str(m, "name")).ToHashSet();

        Assert.Subset(declared, mounted);
        Assert.Subset(mounted, declared);
    }

    [Fact]
    public void Images_BothModes_UseOneTaggedReference()
    {
        var images = Deploy.OfKind("DaemonSet")
            .SelectMany(ds => new PodTemplate(ds).Containers)
            .Select(c => Manifests.Str(c, "image") ?? "")
            .Distinct()
            .ToList();

        var image = Assert.Single(images);
        var tag = image[(image.LastIndexOf(':') + 1)..];
        Assert.True(image.Contains(':') && tag is not ("latest" or ""), $"image {image} needs a fixed tag");
    }

    [Theory]
    [MemberData(nameof(DaemonSets))]
    public void Template_EachMode_RunsOnEveryNodeWithTheNodesNetwork(string daemonSet)
    {
        var ds = Deploy.Get("DaemonSet", daemonSet);
        var pod = new PodTemplate(ds);

        Assert.Equal(ds["spec"]!["selector"]!["matchLabels"]!.ToJsonString(), ds["spec"]!["template"]!["metadata"]!["labels"]!.ToJsonString());
        Assert.True(pod.Spec["hostNetwork"]!.GetValue<bool>());
        Assert.Equal("system-node-critical", Manifests.Str(pod.Spec, "priorityClassName"));
        Assert.Contains(Manifests.Objects(pod.Spec["tolerations"]), t => Manifests.Str(t, "operator") == "Exists" && Manifests.Str(t, "effect") == "NoSchedule");
        Assert.Equal("kube-system", Manifests.Str(ds["metadata"], "namespace"));
    }

    [Theory]
    [MemberData(nameof(DaemonSets))]
    public void InitContainer_EachMode_InstallsBinariesIntoTheHostBinDir(string daemonSet)
    {
        var pod = new PodTemplate(Deploy.Get("DaemonSet", daemonSet));
        var install = Assert.Single(pod.InitContainers);
        var binMount = pod.Mounts(install).Single(m => pod.HostPaths.GetValueOrDefault(Manifests.Str(m, "name")!) == "/opt/cni/bin");

        Assert.Equal(["/usr/local/bin/plexus", "install"], Manifests.Strings(install["command"]));
        Assert.Contains($"--install-dir={Manifests.Str(binMount, "mountPath")}", Manifests.Strings(install["args"]));
        Assert.NotEqual(true, binMount["readOnly"]?.GetValue<bool>());
    }

    [Fact]
    public void ThinContainers_RunWithoutAnyCapability()
    {
        foreach (var container in new PodTemplate(Deploy.Get("DaemonSet", "plexus")).Containers)
        {
            var security = container["securityContext"];
            Assert.Equal(["ALL"], Manifests.Strings(security?["capabilities"]?["drop"]));
            Assert.False(security?["allowPrivilegeEscalation"]?.GetValue<bool>() ?? true);
            Assert.Null(security?["privileged"]);
        }
    }

    [Fact]
    public void ThickDaemonConfig_IsJsonWhosePathsAreMounted()
    {
        var pod = new PodTemplate(Deploy.Get("DaemonSet", "plexusd"));
        var daemon = pod.Container("daemon");
        var configVolume = pod.Volumes.Single(v => v["configMap"] is not null);
        var configMap = Deploy.Get("ConfigMap", Manifests.Str(configVolume["configMap"], "name")!);
        var mountPath = Manifests.Str(pod.Mounts(daemon).Single(m => Manifests.Str(m, "name") == Manifests.Str(configVolume, "name")), "mountPath");
        var (key, text) = Assert.Single(configMap["data"]!.AsObject());
        var config = JsonNode.Parse(text!.GetValue<string>())!;
        var mountPaths = pod.Mounts(daemon).Select(m => Manifests.Str(m, "mountPath")).ToList();

        Assert.Contains($"--config={mountPath}/{key}", PodTemplate.CommandLine(daemon));
        // chrootDir is where the node's / is mounted, propagating the node's later mounts (netns files) into the container.
        var rootMount = pod.Mounts(daemon).Single(m => Manifests.Str(m, "mountPath") == Manifests.Str(config, "chrootDir"));
        Assert.Equal("/", pod.HostPaths[Manifests.Str(rootMount, "name")!]);
        Assert.Equal("HostToContainer", Manifests.Str(rootMount, "mountPropagation"));
        // After the chroot every path is the node's own: the ones the shim, the runtime and the install container use.
        Assert.Equal("/run/plexus", Manifests.Str(config, "socketDir"));
        Assert.Equal("/etc/cni/net.d", Manifests.Str(config, "confDir"));
        var install = pod.InitContainers.Single();
        var binMount = pod.Mounts(install).Single(m => Manifests.Str(m, "name") == "cni-bin");
        Assert.Equal(pod.HostPaths["cni-bin"], Manifests.Str(config, "binDir"));
        Assert.Contains($"--install-dir={Manifests.Str(binMount, "mountPath")}", Manifests.Strings(install["args"]));
        Assert.StartsWith("/var/lib/plexus/", Manifests.Str(config, "backupDir"));
        Assert.StartsWith("/var/lib/cni/", Manifests.Str(config, "cniDir"));
        var metricsPort = int.Parse(Manifests.Str(config, "metricsAddress")!.Split(':')[^1]);
        var metricsPortEntry = Assert.Single(Manifests.Objects(daemon["ports"]), p => p["containerPort"]!.GetValue<long>() == metricsPort);
        // plexusd serves the probes on its metrics port; the kubelet cannot reach the unix socket.
        Assert.Equal(("/healthz", Manifests.Str(metricsPortEntry, "name")), (Manifests.Str(daemon["livenessProbe"]?["httpGet"], "path"), Manifests.Str(daemon["livenessProbe"]?["httpGet"], "port")));
        Assert.Equal(("/readyz", Manifests.Str(metricsPortEntry, "name")), (Manifests.Str(daemon["readinessProbe"]?["httpGet"], "path"), Manifests.Str(daemon["readinessProbe"]?["httpGet"], "port")));
        Assert.True(pod.Spec["terminationGracePeriodSeconds"]!.GetValue<long>() > config["drainTimeoutSeconds"]!.GetValue<long>(),
            "the kubelet would kill plexusd before it drains in-flight requests");
    }
}
