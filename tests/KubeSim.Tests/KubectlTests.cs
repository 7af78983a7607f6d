using System.Text.Json.Nodes;
using Plexus.KubeSim.Tests.Support;

namespace Plexus.KubeSim.Tests;

/// <summary>The real kubectl, unchanged, against the simulator.</summary>
public sealed class KubectlTests
{
    private const string NadYaml = """
        apiVersion: k8s.cni.cncf.io/v1
        kind: NetworkAttachmentDefinition
        metadata:
          name: macvlan-conf
          namespace: {0}
        spec:
          config: '{{"cniVersion":"1.0.0","type":"macvlan","master":"eth0"}}'
        """;

    private const string CrdYaml = """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: network-attachment-definitions.k8s.cni.cncf.io
        spec:
          group: k8s.cni.cncf.io
          scope: Namespaced
          names:
            plural: network-attachment-definitions
            singular: network-attachment-definition
            kind: NetworkAttachmentDefinition
            shortNames: [net-attach-def]
          versions:
          - name: v1
            served: true
            storage: true
            schema:
              openAPIV3Schema:
                type: object
                properties:
                  spec:
                    type: object
                    properties:
                      config: {type: string}
        """;

    [SkippableFact]
    public async Task Apply_CrdThenNadFromYaml_GetNetAttachDefListsIt()
    {
        await using var kubectl = await Kubectl.StartWithSimulatorAsync();
        var sim = kubectl.Sim;
        var ns = sim.CreateUniqueNamespace("nad");

        var crd = await kubectl.RunAsync("apply", "-f", kubectl.WriteFile("crd.yaml", CrdYaml));
        var nad = await kubectl.RunAsync("apply", "-f", kubectl.WriteFile("nad.yaml", string.Format(NadYaml, ns)));
        var again = await kubectl.RunAsync("apply", "-f", Path.Combine(kubectl.Home, "nad.yaml"));
        var list = await kubectl.RunAsync("get", "net-attach-def", "-A");

        Assert.Contains("customresourcedefinition.apiextensions.k8s.io/network-attachment-definitions.k8s.cni.cncf.io created", crd.Succeeded().Stdout);
        Assert.Contains("networkattachmentdefinition.k8s.cni.cncf.io/macvlan-conf created", nad.Succeeded().Stdout);
        Assert.Contains("macvlan-conf unchanged", again.Succeeded().Stdout);
        var row = list.Succeeded().Stdout.Split('\n').Single(l => l.Contains("macvlan-conf"));
        Assert.StartsWith(ns, row);
        var stored = sim.Get(KnownManifests.NadApiVersion, KnownManifests.NadKind, ns, "macvlan-conf");
        Assert.Equal("""{"cniVersion":"1.0.0","type":"macvlan","master":"eth0"}""", stored?["spec"]?["config"]?.GetValue<string>());
    }

    [SkippableFact]
    public async Task GetNetAttachDef_BeforeCrdExists_FailsWithUnknownResourceType()
    {
        await using var kubectl = await Kubectl.StartWithSimulatorAsync();

        var result = await kubectl.RunAsync("get", "net-attach-def", "-A");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("the server doesn't have a resource type \"net-attach-def\"", result.Stderr);
    }

    [SkippableFact]
    public async Task Pod_CreateAnnotateGetDelete_RoundTrips()
    {
        await using var kubectl = await Kubectl.StartWithSimulatorAsync();
        var sim = kubectl.Sim;
        var ns = sim.CreateUniqueNamespace("pods");
        var manifest = kubectl.WriteFile("pod.yaml", $$$"""
            apiVersion: v1
            kind: Pod
            metadata: {name: web, namespace: {{{ns}}}, labels: {app: web}}
            spec:
              nodeName: node-1
              containers: [{name: app, image: nginx}]
            """);

        (await kubectl.RunAsync("create", "-f", manifest)).Succeeded();
        (await kubectl.RunAsync("annotate", "-n", ns, "pod", "web", "k8s.v1.cni.cncf.io/networks=macvlan-conf")).Succeeded();
        var json = JsonNode.Parse((await kubectl.RunAsync("get", "-n", ns, "pod", "web", "-o", "json")).Succeeded().Stdout)!;
        var byNode = (await kubectl.RunAsync("get", "pods", "-A", "--field-selector", "spec.nodeName=node-1", "-l", "app=web")).Succeeded();
        var otherNode = (await kubectl.RunAsync("get", "pods", "-A", "--field-selector", "spec.nodeName=node-2")).Succeeded();
        var deleted = (await kubectl.RunAsync("delete", "-n", ns, "pod", "web")).Succeeded();

        Assert.Equal("macvlan-conf", json["metadata"]!["annotations"]!["k8s.v1.cni.cncf.io/networks"]!.GetValue<string>());
        Assert.Equal("Pending", json["status"]!["phase"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(json["metadata"]!["uid"]!.GetValue<string>()));
        Assert.Contains("web", byNode.Stdout);
        Assert.DoesNotContain("web", otherNode.Stdout + otherNode.Stderr);
        Assert.Contains("pod \"web\" deleted", deleted.Stdout);
        Assert.Null(sim.Get("v1", "Pod", ns, "web"));
        Assert.Equal(1, sim.Requests.Count("create", "pods"));
        Assert.Equal(1, sim.Requests.Count("patch", "pods"));
    }

    [SkippableFact]
    public async Task GetPodsWatch_PodUpdated_PrintsModifiedEvent()
    {
        await using var kubectl = await Kubectl.StartWithSimulatorAsync();
        var sim = kubectl.Sim;
        var ns = KubeClients.NewName("watch");
        sim.CreatePod(ns, "web");
        using var watch = kubectl.Start("get", "pods", "-n", ns, "--watch", "--output-watch-events", "--request-timeout=30s");
        try
        {
            var lines = new List<string>();
            await ReadUntilAsync(watch, lines, l => l.StartsWith("ADDED") && l.Contains("web"));
            await WaitForAsync(() => sim.ActiveWatches > 0);

            sim.Patch("v1", "Pod", ns, "web", """{"status":{"phase":"Running"}}""");

            await ReadUntilAsync(watch, lines, l => l.StartsWith("MODIFIED") && l.Contains("Running"));
        }
        finally
        {
            watch.Kill(entireProcessTree: true);
        }
    }

    [SkippableFact]
    public async Task ApplyDryRunServer_Manifests_ReportedButNotStored()
    {
        await using var kubectl = await Kubectl.StartWithSimulatorAsync();
        var sim = kubectl.Sim;
        var ns = sim.CreateUniqueNamespace("dry");
        var manifest = kubectl.WriteFile("deploy.yaml", $$$"""
            apiVersion: v1
            kind: ServiceAccount
            metadata: {name: plexus, namespace: {{{ns}}}}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: {{{ns}}}}
            rules: [{apiGroups: [k8s.cni.cncf.io], resources: ["*"], verbs: ["*"]}]
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: plexus, namespace: {{{ns}}}}
            data: {key: value}
            ---
            apiVersion: apps/v1
            kind: DaemonSet
            metadata: {name: plexus, namespace: {{{ns}}}}
            spec:
              selector: {matchLabels: {app: plexus}}
              template:
                metadata: {labels: {app: plexus}}
                spec: {containers: [{name: plexus, image: "plexus:dev"}]}
            """);

        var dryRun = (await kubectl.RunAsync("apply", "--dry-run=server", "-f", manifest)).Succeeded();

        Assert.Contains("daemonset.apps/plexus created (server dry run)", dryRun.Stdout);
        Assert.Contains($"clusterrole.rbac.authorization.k8s.io/{ns} created (server dry run)", dryRun.Stdout);
        Assert.Null(sim.Get("apps/v1", "DaemonSet", ns, "plexus"));
        Assert.Null(sim.Get("rbac.authorization.k8s.io/v1", "ClusterRole", null, ns));
        Assert.Equal(4, sim.Requests.Snapshot().Where(p => p.Key.Verb == "create").Sum(p => p.Value));
    }

    [SkippableFact]
    public async Task Apply_ChangedDaemonSet_PatchesAndBumpsGeneration()
    {
        await using var kubectl = await Kubectl.StartWithSimulatorAsync();
        var sim = kubectl.Sim;
        var ns = sim.CreateUniqueNamespace("ds");
        string Manifest(string image) => $$$"""
            apiVersion: apps/v1
            kind: DaemonSet
            metadata: {name: plexus, namespace: {{{ns}}}}
            spec:
              selector: {matchLabels: {app: plexus}}
              template:
                metadata: {labels: {app: plexus}}
                spec: {containers: [{name: plexus, image: "{{{image}}}"}]}
            """;

        (await kubectl.RunAsync("apply", "-f", kubectl.WriteFile("ds.yaml", Manifest("plexus:v1")))).Succeeded();
        var changed = (await kubectl.RunAsync("apply", "-f", kubectl.WriteFile("ds.yaml", Manifest("plexus:v2")))).Succeeded();

        Assert.Contains("daemonset.apps/plexus configured", changed.Stdout);
        var ds = sim.Get("apps/v1", "DaemonSet", ns, "plexus")!;
        Assert.Equal(2, ds["metadata"]!["generation"]!.GetValue<long>());
        Assert.Equal("plexus:v2", ds["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!.GetValue<string>());
        Assert.Equal(1, sim.Requests.Count("patch", "daemonsets", "apps"));
    }

    [SkippableFact]
    public async Task Get_TokenFileRotated_KubectlUsesNewTokenOldOneRejected()
    {
        var dir = Directory.CreateTempSubdirectory("kube-sim-rotate-");
        try
        {
            var tokenFile = Path.Combine(dir.FullName, "token");
            await using var kubectl = await Kubectl.StartWithSimulatorAsync(new KubeSimOptions { TokenFile = tokenFile });
            var sim = kubectl.Sim;
            var stale = kubectl.WriteFile("stale-kubeconfig", File.ReadAllText(kubectl.Kubeconfig)
                .Replace("tokenFile: " + tokenFile, "tokenFile: " + kubectl.WriteFile("old-token", sim.Token)));

            await File.WriteAllTextAsync(tokenFile, "rotated-by-test\n");
            var fresh = await kubectl.RunAsync("get", "namespaces", "-o", "name");
            var old = await kubectl.RunAsync("--kubeconfig", stale, "get", "namespaces");

            Assert.Contains("namespace/default", fresh.Succeeded().Stdout);
            Assert.NotEqual(0, old.ExitCode);
            Assert.Contains("Unauthorized", old.Stderr);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static async Task ReadUntilAsync(System.Diagnostics.Process process, List<string> lines, Func<string, bool> wanted)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            lines.Add(line);
            if (wanted(line)) return;
        }
        Assert.Fail($"kubectl output ended without the expected line:\n{string.Join('\n', lines)}\n{await process.StandardError.ReadToEndAsync()}");
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++) await Task.Delay(50);
        Assert.True(condition(), "condition not met within 10 s");
    }
}
