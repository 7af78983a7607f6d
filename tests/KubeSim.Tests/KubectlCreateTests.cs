using System.Text.Json.Nodes;
using Plexus.KubeSim.Tests.Support;

namespace Plexus.KubeSim.Tests;

/// <summary>
/// kubectl's typed create subcommands send protobuf and do not retry as JSON; auth can-i --list asks
/// for a SelfSubjectRulesReview. The real kubectl, unchanged, against the simulator.
/// </summary>
public sealed class KubectlCreateTests
{
    [SkippableFact]
    public async Task CreateNamespace_ProtobufBody_CreatedWithServerDefaults()
    {
        await using var kubectl = await Kubectl.StartWithSimulatorAsync();
        var sim = kubectl.Sim;
        var ns = KubeClients.NewName("proto");

        var created = await kubectl.RunAsync("create", "namespace", ns, "-v=8");
        var got = JsonNode.Parse((await kubectl.RunAsync("get", "namespace", ns, "-o", "json")).Succeeded().Stdout)!;

        Assert.Contains($"namespace/{ns} created", created.Succeeded().Stdout);
        // The request was protobuf (no JSON retry) and the JSON answer was taken although protobuf was asked for first.
        Assert.Contains("Content-Type: application/vnd.kubernetes.protobuf", created.Stderr);
        Assert.Contains("Accept: application/vnd.kubernetes.protobuf,application/json", created.Stderr);
        Assert.Contains("Response Status: 201 Created", created.Stderr);
        Assert.Equal(1, sim.Requests.Count("create", "namespaces"));
        Assert.Equal(ns, got["metadata"]!["name"]!.GetValue<string>());
        Assert.Equal(ns, got["metadata"]!["labels"]!["kubernetes.io/metadata.name"]!.GetValue<string>());
        Assert.Equal("Active", got["status"]!["phase"]!.GetValue<string>());
        Assert.Equal("kubernetes", got["spec"]!["finalizers"]![0]!.GetValue<string>());
    }

    /// <summary>What was stored is what kubectl would have sent as JSON (its --dry-run=client output) plus the server's metadata.</summary>
    [SkippableTheory]
    [InlineData("configmap cm --from-literal=a=b --from-literal=c=d --from-file=bin=BINARY", "configmap/cm", "binaryData/bin", "AP8BAg==")]
    [InlineData("configmap cm --from-literal=a=b", "configmap/cm", "data/a", "b")]
    [InlineData("secret generic s --from-literal=p=q --type=example.com/kind", "secret/s", "data/p", "cQ==")]
    [InlineData("secret generic s --from-literal=p=q --type=example.com/kind", "secret/s", "type", "example.com/kind")]
    [InlineData("serviceaccount sa", "serviceaccount/sa", "metadata/name", "sa")]
    [InlineData("role r --verb=get,list --resource=pods --resource-name=x", "role/r", "rules/0/resourceNames/0", "x")]
    [InlineData("clusterrole cr --verb=get --non-resource-url=/healthz", "clusterrole/cr", "rules/0/nonResourceURLs/0", "/healthz")]
    [InlineData("clusterrole agg --aggregation-rule=a=b", "clusterrole/agg", "aggregationRule/clusterRoleSelectors/0/matchLabels/a", "b")]
    [InlineData("rolebinding rb --role=r --user=bob --serviceaccount=NS:sa", "rolebinding/rb", "subjects/1/namespace", "NS")]
    [InlineData("clusterrolebinding crb --clusterrole=cr --group=g", "clusterrolebinding/crb", "roleRef/kind", "ClusterRole")]
    [InlineData("service clusterip svc --tcp=80:8080 --tcp=443:https", "service/svc", "spec/ports/1/targetPort", "https")]
    [InlineData("service nodeport np --tcp=80:8080 --node-port=30080", "service/np", "spec/ports/0/nodePort", "30080")]
    [InlineData("service externalname en --external-name=db.example.com", "service/en", "spec/externalName", "db.example.com")]
    [InlineData("deployment web --image=registry.example/web:1 --image=registry.example/side:2 --port=8080 --replicas=3",
        "deployment/web", "spec/template/spec/containers/0/ports/0/containerPort", "8080")]
    [InlineData("deployment one --image=registry.example/app", "deployment/one", "spec/selector/matchLabels/app", "one")]
    [InlineData("job backup --image=registry.example/backup:1", "job/backup", "spec/template/spec/restartPolicy", "Never")]
    [InlineData("cronjob tick --image=registry.example/tick --schedule=@hourly --restart=OnFailure", "cronjob/tick", "spec/schedule", "@hourly")]
    [InlineData("cronjob tick --image=registry.example/tick --schedule=@daily", "cronjob/tick",
        "spec/jobTemplate/spec/template/spec/containers/0/image", "registry.example/tick")]
    [InlineData("poddisruptionbudget pdb --selector=app=web --min-available=50%", "poddisruptionbudget/pdb", "spec/minAvailable", "50%")]
    [InlineData("poddisruptionbudget pdb --selector=app=web --max-unavailable=1", "poddisruptionbudget/pdb", "spec/maxUnavailable", "1")]
    [InlineData("priorityclass high --value=1000 --description=critical --preemption-policy=Never", "priorityclass/high", "preemptionPolicy", "Never")]
    [InlineData("priorityclass default-pc --value=0 --global-default", "priorityclass/default-pc", "value", "0")]
    [InlineData("quota q --hard=cpu=1,pods=10,requests.memory=1Gi --scopes=BestEffort,NotTerminating", "resourcequota/q", "spec/scopes/1", "NotTerminating")]
    [InlineData("quota q --hard=pods=10", "resourcequota/q", "spec/hard/pods", "10")]
    [InlineData("ingress web --class=nginx --rule=web.example/api*=api:8080,tls=web-cert --rule=/=web:http --default-backend=web:80",
        "ingress/web", "spec/rules/0/http/paths/0/pathType", "Prefix")]
    [InlineData("ingress web --rule=web.example/=web:http", "ingress/web", "spec/rules/0/http/paths/0/backend/service/port/name", "http")]
    public async Task CreateTyped_ProtobufBody_StoredAsKubectlsJson(string command, string target, string field, string expected)
    {
        await using var kubectl = await Kubectl.StartWithSimulatorAsync();
        var sim = kubectl.Sim;
        var ns = sim.CreateUniqueNamespace("proto");
        var binary = Path.Combine(kubectl.Home, "binary");
        await File.WriteAllBytesAsync(binary, [0, 255, 1, 2]);
        string[] args = ["create", .. command.Replace("NS", ns).Replace("BINARY", binary).Split(' '), "-n", ns];

        var intended = JsonNode.Parse((await kubectl.RunAsync([.. args, "--dry-run=client", "-o", "json"])).Succeeded().Stdout)!.AsObject();
        var created = await kubectl.RunAsync(args);
        var stored = JsonNode.Parse((await kubectl.RunAsync("get", target, "-n", ns, "-o", "json")).Succeeded().Stdout)!.AsObject();

        Assert.Contains(" created", created.Succeeded().Stdout);
        Assert.Equal(expected.Replace("NS", ns), At(stored, field));
        Assert.NotEmpty(At(stored, "metadata/uid"));
        foreach (var serverSet in new[] { "uid", "resourceVersion", "creationTimestamp", "namespace", "generation" })
        {
            stored["metadata"]!.AsObject().Remove(serverSet);
        }
        foreach (var clientUnset in new[] { "creationTimestamp", "namespace" }) intended["metadata"]!.AsObject().Remove(clientUnset);
        // A Service's allocations and defaults are the server's (ServiceAllocationTests checks them).
        foreach (var serverSet in new[] { "clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy", "sessionAffinity", "internalTrafficPolicy",
            "externalTrafficPolicy", "allocateLoadBalancerNodePorts" })
        {
            if (stored["kind"]!.GetValue<string>() == "Service") stored["spec"]!.AsObject().Remove(serverSet);
        }
        // A created object's status is the server's to write: the simulator drops what kubectl sends (a Service's empty one).
        if (stored["status"] is null) intended.Remove("status");
        Assert.True(JsonNode.DeepEquals(intended, stored), $"kubectl meant {intended.ToJsonString()}\nstored {stored.ToJsonString()}");
    }

    /// <summary>kubectl describe reads through the typed client, which asks for protobuf first: the JSON answer is taken.</summary>
    [SkippableFact]
    public async Task Describe_TypedGetPrefersProtobuf_JsonAnswerAccepted()
    {
        await using var kubectl = await Kubectl.StartWithSimulatorAsync();
        (await kubectl.RunAsync("create", "configmap", "settings", "--from-literal=mode=fast")).Succeeded();

        var result = (await kubectl.RunAsync("describe", "configmap", "settings", "-v=8")).Succeeded();

        Assert.Contains("Accept: application/vnd.kubernetes.protobuf,application/json", result.Stderr);
        Assert.Contains("Name:         settings", result.Stdout);
        Assert.Contains("mode:\n----\nfast", result.Stdout);
    }

    [SkippableFact]
    public async Task AuthCanIList_RulesReview_EveryVerbOnEverything()
    {
        await using var kubectl = await Kubectl.StartWithSimulatorAsync();
        var sim = kubectl.Sim;

        var result = (await kubectl.RunAsync("auth", "can-i", "--list", "-n", "team-a", "-v=8")).Succeeded();

        Assert.Equal(
            ["Resources   Non-Resource URLs   Resource Names   Verbs", "*.*         []                  []               [*]",
             "            [*]                 []               [*]"],
            result.Stdout.TrimEnd('\n').Split('\n').Select(l => l.TrimEnd()));
        Assert.Contains("Content-Type: application/vnd.kubernetes.protobuf", result.Stderr);
        Assert.Equal(1, sim.Requests.Count("create", "selfsubjectrulesreviews", "authorization.k8s.io"));
    }

    [SkippableFact]
    public async Task CreateDeploymentWithCommand_ProtobufBody_CommandStored()
    {
        await using var kubectl = await Kubectl.StartWithSimulatorAsync();
        var sim = kubectl.Sim;

        (await kubectl.RunAsync("create", "deployment", "sleeper", "--image=registry.example/busybox", "--", "sleep", "3600")).Succeeded();

        var container = sim.Get("apps/v1", "Deployment", "default", "sleeper")!["spec"]!["template"]!["spec"]!["containers"]![0]!;
        Assert.Equal(["sleep", "3600"], container["command"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Equal("registry.example/busybox", container["image"]!.GetValue<string>());
    }

    /// <summary>create job --from reads the CronJob (typed get, protobuf asked, JSON answered) and sends a Job it owns.</summary>
    [SkippableFact]
    public async Task CreateJobFromCronJob_JobOwnedByCronJobWithItsTemplate()
    {
        await using var kubectl = await Kubectl.StartWithSimulatorAsync();
        var sim = kubectl.Sim;
        (await kubectl.RunAsync("create", "cronjob", "tick", "--image=registry.example/tick", "--schedule=@hourly", "--", "tick", "--once")).Succeeded();

        var result = (await kubectl.RunAsync("create", "job", "tick-now", "--from=cronjob/tick")).Succeeded();

        Assert.Contains("job.batch/tick-now created", result.Stdout);
        var job = sim.Get("batch/v1", "Job", "default", "tick-now")!;
        var owner = job["metadata"]!["ownerReferences"]![0]!;
        Assert.Equal("CronJob", owner["kind"]!.GetValue<string>());
        Assert.Equal(sim.Get("batch/v1", "CronJob", "default", "tick")!["metadata"]!["uid"]!.GetValue<string>(), owner["uid"]!.GetValue<string>());
        Assert.Equal(["tick", "--once"], job["spec"]!["template"]!["spec"]!["containers"]![0]!["command"]!.AsArray().Select(a => a!.GetValue<string>()));
    }

    /// <summary>kubectl debug node sends a pod with a hostPath volume: refused whole, naming what is not decoded.</summary>
    [SkippableFact]
    public async Task DebugNode_PodWithVolume_ClearUnsupportedMediaTypeErrorNothingStored()
    {
        await using var kubectl = await Kubectl.StartWithSimulatorAsync();
        var sim = kubectl.Sim;
        sim.CreateNode("node-a");
        var before = sim.ResourceVersion;

        var result = await kubectl.RunAsync("debug", "node/node-a", "--image=registry.example/busybox", "--profile=general");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Error from server (UnsupportedMediaType): kube-sim does not decode spec.volumes (field 1 of PodSpec) from protobuf: " +
            "send this Pod as JSON (kubectl create -f or apply -f)", result.Stderr);
        Assert.Equal(before, sim.ResourceVersion);
    }

    private static string At(JsonNode node, string path)
    {
        foreach (var part in path.Split('/'))
        {
            node = int.TryParse(part, out var index) ? node[index]! : node[part]!;
        }
        return node is JsonValue value && value.TryGetValue<string>(out var text) ? text : node.ToJsonString();
    }
}
