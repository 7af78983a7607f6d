using System.Text.RegularExpressions;
using Plexus.KubeSim.Tests.Support;
using Plexus.Testing;

namespace Plexus.KubeSim.Tests;

/// <summary>
/// kubectl get of services and the other built-in kinds prints the real printers' columns, read by
/// header position so empty cells count (kubectl aligns every cell under its header).
/// </summary>
public sealed partial class KubectlTableKindsTests
{
    [SkippableFact]
    public async Task GetServices_TypeClusterIpExternalIpPortsAndWideSelector()
    {
        await using var kubectl = await Kubectl.StartWithSimulatorAsync();
        var sim = kubectl.Sim;
        var ns = sim.CreateUniqueNamespace("svc");
        foreach (var service in new[]
        {
            """{"metadata":{"name":"web"},"spec":{"type":"ClusterIP","clusterIP":"10.96.0.10","clusterIPs":["10.96.0.10"],"selector":{"app":"web","tier":"front"},"ports":[{"port":80,"protocol":"TCP"}]}}""",
            // No type and no protocols: the server's defaults (ClusterIP, TCP).
            """{"metadata":{"name":"dns"},"spec":{"clusterIP":"10.96.0.53","ports":[{"name":"dns","port":53,"protocol":"UDP"},{"name":"dns-tcp","port":53}]}}""",
            """{"metadata":{"name":"np"},"spec":{"type":"NodePort","externalIPs":["192.0.2.7"],"ports":[{"port":80,"nodePort":30080,"protocol":"TCP"}]}}""",
            """{"metadata":{"name":"lb"},"spec":{"type":"LoadBalancer","ports":[{"port":443,"nodePort":31443,"protocol":"TCP"}]},"status":{"loadBalancer":{"ingress":[{"ip":"203.0.113.9"},{"hostname":"lb.example"}]}}}""",
            """{"metadata":{"name":"pending"},"spec":{"type":"LoadBalancer","ports":[{"port":8443,"nodePort":31444}]}}""",
            """{"metadata":{"name":"db"},"spec":{"type":"ExternalName","externalName":"db.example.com"}}""",
        })
        {
            sim.Create(service.Replace("{\"metadata\":{", $$"""{"apiVersion":"v1","kind":"Service","metadata":{"namespace":"{{ns}}",""", StringComparison.Ordinal));
        }

        var plain = Table((await kubectl.RunAsync("get", "svc", "-n", ns)).Succeeded().Stdout);
        var wide = Table((await kubectl.RunAsync("get", "svc", "-n", ns, "-o", "wide")).Succeeded().Stdout);

        Assert.Equal(["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"], plain.Header);
        Assert.Equal(["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE", "SELECTOR"], wide.Header);
        Assert.Equal(["web", "ClusterIP", "10.96.0.10", "<none>", "80/TCP"], plain.Row("web")[..5]);
        Assert.Equal(["dns", "ClusterIP", "10.96.0.53", "<none>", "53/UDP,53/TCP"], plain.Row("dns")[..5]);
        // Cluster IPs the services did not name are allocated from 10.96.0.0/12 (at random, as the real allocator picks).
        string ClusterIp(string name) => sim.Get("v1", "Service", ns, name)!["spec"]!["clusterIP"]!.GetValue<string>();
        Assert.Equal(["np", "NodePort", ClusterIp("np"), "192.0.2.7", "80:30080/TCP"], plain.Row("np")[..5]);
        Assert.Equal(["lb", "LoadBalancer", ClusterIp("lb"), "203.0.113.9,lb.example", "443:31443/TCP"], plain.Row("lb")[..5]);
        Assert.Equal(["pending", "LoadBalancer", ClusterIp("pending"), "<pending>", "8443:31444/TCP"], plain.Row("pending")[..5]);
        Assert.Equal(["db", "ExternalName", "<none>", "db.example.com", "<none>"], plain.Row("db")[..5]);
        Assert.Equal("app=web,tier=front", wide.Row("web")[6]);
        Assert.Equal("<none>", wide.Row("dns")[6]);
    }

    /// <summary>Each kind's columns and one row (the AGE cell left out: it is the object's age).</summary>
    [SkippableTheory]
    [InlineData("pods",
        """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web"},"spec":{"nodeName":"node-1","readinessGates":[{"conditionType":"example.com/net"}],"containers":[{"name":"app","image":"a"},{"name":"log","image":"l"}]},"status":{"phase":"Running","conditions":[{"type":"example.com/net","status":"True"}],"podIP":"10.1.1.5","podIPs":[{"ip":"10.1.1.5"},{"ip":"fd00::5"}],"containerStatuses":[{"name":"app","ready":true,"restartCount":3,"state":{"running":{}},"lastState":{"terminated":{"exitCode":1,"finishedAt":"2025-12-31T23:50:00Z"}}},{"name":"log","ready":false,"restartCount":2,"state":{"waiting":{"reason":"CrashLoopBackOff"}}}]}}""",
        "NAME|READY|STATUS|RESTARTS|AGE|IP|NODE|NOMINATED NODE|READINESS GATES", "web|1/2|CrashLoopBackOff|5 (10m ago)|*|10.1.1.5|node-1|<none>|1/1")]
    [InlineData("pods",
        """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"init"},"spec":{"initContainers":[{"name":"a","image":"a"},{"name":"b","image":"b"}],"containers":[{"name":"app","image":"a"}]},"status":{"phase":"Pending","nominatedNodeName":"node-2","initContainerStatuses":[{"name":"a","state":{"terminated":{"exitCode":0}}},{"name":"b","state":{"waiting":{"reason":"PodInitializing"}}}]}}""",
        "NAME|READY|STATUS|RESTARTS|AGE|IP|NODE|NOMINATED NODE|READINESS GATES", "init|0/1|Init:1/2|0|*|<none>|<none>|node-2|<none>")]
    [InlineData("pods",
        """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"init-failed"},"spec":{"initContainers":[{"name":"a","image":"a"}],"containers":[{"name":"app","image":"a"}]},"status":{"phase":"Pending","initContainerStatuses":[{"name":"a","restartCount":4,"state":{"terminated":{"exitCode":1}}}]}}""",
        "NAME|READY|STATUS|RESTARTS|AGE|IP|NODE|NOMINATED NODE|READINESS GATES", "init-failed|0/1|Init:ExitCode:1|4|*|<none>|<none>|<none>|<none>")]
    [InlineData("pods",
        """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"sidecar"},"spec":{"initContainers":[{"name":"proxy","image":"p","restartPolicy":"Always"}],"containers":[{"name":"app","image":"a"}]},"status":{"phase":"Running","conditions":[{"type":"Initialized","status":"True"}],"initContainerStatuses":[{"name":"proxy","started":true,"ready":true,"state":{"running":{}}}],"containerStatuses":[{"name":"app","ready":true,"state":{"running":{}}}]}}""",
        "NAME|READY|STATUS|RESTARTS|AGE|IP|NODE|NOMINATED NODE|READINESS GATES", "sidecar|2/2|Running|0|*|<none>|<none>|<none>|<none>")]
    [InlineData("pods",
        """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"half-done"},"spec":{"containers":[{"name":"app","image":"a"},{"name":"job","image":"j"}]},"status":{"phase":"Running","containerStatuses":[{"name":"app","ready":true,"state":{"running":{}}},{"name":"job","state":{"terminated":{"exitCode":0,"reason":"Completed"}}}]}}""",
        "NAME|READY|STATUS|RESTARTS|AGE|IP|NODE|NOMINATED NODE|READINESS GATES", "half-done|1/2|NotReady|0|*|<none>|<none>|<none>|<none>")]
    [InlineData("pods",
        """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"gated"},"spec":{"containers":[{"name":"app","image":"a"}]},"status":{"phase":"Pending","conditions":[{"type":"PodScheduled","status":"False","reason":"SchedulingGated"}]}}""",
        "NAME|READY|STATUS|RESTARTS|AGE|IP|NODE|NOMINATED NODE|READINESS GATES", "gated|0/1|SchedulingGated|0|*|<none>|<none>|<none>|<none>")]
    [InlineData("pods",
        """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"killed"},"spec":{"containers":[{"name":"app","image":"a"}]},"status":{"phase":"Failed","reason":"Evicted","containerStatuses":[{"name":"app","state":{"terminated":{"exitCode":137,"signal":9}}}]}}""",
        "NAME|READY|STATUS|RESTARTS|AGE|IP|NODE|NOMINATED NODE|READINESS GATES", "killed|0/1|Signal:9|0|*|<none>|<none>|<none>|<none>")]
    [InlineData("deployments",
        """{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},"spec":{"replicas":3,"selector":{"matchLabels":{"app":"web"},"matchExpressions":[{"key":"tier","operator":"In","values":["b","a"]}]},"template":{"spec":{"containers":[{"name":"web","image":"registry.example/web:1"},{"name":"log","image":"registry.example/log:2"}]}}},"status":{"readyReplicas":2,"updatedReplicas":3,"availableReplicas":2}}""",
        "NAME|READY|UP-TO-DATE|AVAILABLE|AGE|CONTAINERS|IMAGES|SELECTOR",
        "web|2/3|3|2|*|web,log|registry.example/web:1,registry.example/log:2|app=web,tier in (a,b)")]
    [InlineData("deployments", """{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"bare"}}""",
        "NAME|READY|UP-TO-DATE|AVAILABLE|AGE|CONTAINERS|IMAGES|SELECTOR", "bare|0/1|0|0|*|||")]
    [InlineData("replicasets", """{"apiVersion":"apps/v1","kind":"ReplicaSet","metadata":{"name":"rs"},"spec":{"selector":{"matchExpressions":[{"key":"canary","operator":"DoesNotExist"}]}},"status":{"replicas":1}}""",
        "NAME|DESIRED|CURRENT|READY|AGE|CONTAINERS|IMAGES|SELECTOR", "rs|1|1|0|*|||!canary")]
    [InlineData("configmaps", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm"},"data":{"a":"1","b":"2"},"binaryData":{"c":"AA=="}}""",
        "NAME|DATA|AGE", "cm|3|*")]
    [InlineData("secrets", """{"apiVersion":"v1","kind":"Secret","metadata":{"name":"tls"},"type":"kubernetes.io/tls","data":{"tls.crt":"AA==","tls.key":"AA=="}}""",
        "NAME|TYPE|DATA|AGE", "tls|kubernetes.io/tls|2|*")]
    [InlineData("serviceaccounts", """{"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"plexus"},"secrets":[{"name":"plexus-token"}]}""",
        "NAME|SECRETS|AGE", "plexus|1|*")]
    [InlineData("endpoints", """{"apiVersion":"v1","kind":"Endpoints","metadata":{"name":"web"},"subsets":[{"addresses":[{"ip":"10.0.0.1"},{"ip":"fd00::2"}],"ports":[{"port":80},{"port":443}]}]}""",
        "NAME|ENDPOINTS|AGE", "web|10.0.0.1:80,[fd00::2]:80,10.0.0.1:443 + 1 more...|*")]
    [InlineData("endpoints", """{"apiVersion":"v1","kind":"Endpoints","metadata":{"name":"none"}}""", "NAME|ENDPOINTS|AGE", "none|<none>|*")]
    [InlineData("nodes",
        """{"apiVersion":"v1","kind":"Node","metadata":{"name":"cp-1","labels":{"node-role.kubernetes.io/control-plane":"","node-role.kubernetes.io/":"","kubernetes.io/role":"worker"}},"spec":{"unschedulable":true},"status":{"conditions":[{"type":"Ready","status":"True"}],"addresses":[{"type":"Hostname","address":"cp-1"},{"type":"InternalIP","address":"192.0.2.10"}],"nodeInfo":{"kubeletVersion":"v1.32.4","osImage":"Debian GNU/Linux 12","kernelVersion":"6.1.0","containerRuntimeVersion":"containerd://1.7.2"}}}""",
        "NAME|STATUS|ROLES|AGE|VERSION|INTERNAL-IP|EXTERNAL-IP|OS-IMAGE|KERNEL-VERSION|CONTAINER-RUNTIME",
        "cp-1|Ready,SchedulingDisabled|control-plane,worker|*|v1.32.4|192.0.2.10|<none>|Debian GNU/Linux 12|6.1.0|containerd://1.7.2")]
    [InlineData("nodes", """{"apiVersion":"v1","kind":"Node","metadata":{"name":"new"}}""",
        "NAME|STATUS|ROLES|AGE|VERSION|INTERNAL-IP|EXTERNAL-IP|OS-IMAGE|KERNEL-VERSION|CONTAINER-RUNTIME",
        "new|Unknown|<none>|*||<none>|<none>|<unknown>|<unknown>|<unknown>")]
    [InlineData("jobs",
        """{"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"backup"},"spec":{"completions":3,"selector":{"matchLabels":{"job":"backup"}},"template":{"spec":{"containers":[{"name":"b","image":"registry.example/b:1"}]}}},"status":{"succeeded":1,"startTime":"2026-01-01T00:00:00Z","completionTime":"2026-01-01T00:01:30Z","conditions":[{"type":"Complete","status":"True"}]}}""",
        "NAME|STATUS|COMPLETIONS|DURATION|AGE|CONTAINERS|IMAGES|SELECTOR", "backup|Complete|1/3|90s|*|b|registry.example/b:1|job=backup")]
    [InlineData("jobs", """{"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"wide"},"spec":{"parallelism":4}}""",
        "NAME|STATUS|COMPLETIONS|DURATION|AGE|CONTAINERS|IMAGES|SELECTOR", "wide|Running|0/1 of 4||*|||<none>")]
    [InlineData("cronjobs", """{"apiVersion":"batch/v1","kind":"CronJob","metadata":{"name":"tick"},"spec":{"schedule":"@hourly","jobTemplate":{"spec":{"template":{"spec":{"containers":[{"name":"t","image":"registry.example/t"}]}}}}}}""",
        "NAME|SCHEDULE|TIMEZONE|SUSPEND|ACTIVE|LAST SCHEDULE|AGE|CONTAINERS|IMAGES|SELECTOR", "tick|@hourly|<none>|False|0|<none>|*|t|registry.example/t|<none>")]
    [InlineData("poddisruptionbudgets", """{"apiVersion":"policy/v1","kind":"PodDisruptionBudget","metadata":{"name":"pdb"},"spec":{"minAvailable":"50%"},"status":{"disruptionsAllowed":2}}""",
        "NAME|MIN AVAILABLE|MAX UNAVAILABLE|ALLOWED DISRUPTIONS|AGE", "pdb|50%|N/A|2|*")]
    [InlineData("priorityclasses", """{"apiVersion":"scheduling.k8s.io/v1","kind":"PriorityClass","metadata":{"name":"high"},"value":1000,"globalDefault":true,"preemptionPolicy":"Never"}""",
        "NAME|VALUE|GLOBAL-DEFAULT|AGE|PREEMPTIONPOLICY", "high|1000|true|*|Never")]
    [InlineData("resourcequotas", """{"apiVersion":"v1","kind":"ResourceQuota","metadata":{"name":"q"},"status":{"hard":{"pods":"10","requests.cpu":"1","limits.cpu":"2"},"used":{"pods":"3"}}}""",
        "NAME|AGE|REQUEST|LIMIT", "q|*|pods: 3/10, requests.cpu: 0/1|limits.cpu: 0/2")]
    [InlineData("ingresses", """{"apiVersion":"networking.k8s.io/v1","kind":"Ingress","metadata":{"name":"ing"},"spec":{"ingressClassName":"nginx","tls":[{"hosts":["a.example"]}],"rules":[{"host":"a.example"},{},{"host":"b.example"},{"host":"c.example"},{"host":"d.example"}]}}""",
        "NAME|CLASS|HOSTS|ADDRESS|PORTS|AGE", "ing|nginx|a.example,b.example,c.example + 2 more...||80, 443|*")]
    [InlineData("rolebindings", """{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"RoleBinding","metadata":{"name":"rb"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"view"},"subjects":[{"kind":"User","name":"bob"},{"kind":"User","name":"eve"},{"kind":"Group","name":"ops"},{"kind":"ServiceAccount","name":"sa","namespace":"kube-system"}]}""",
        "NAME|ROLE|AGE|USERS|GROUPS|SERVICEACCOUNTS", "rb|ClusterRole/view|*|bob, eve|ops|kube-system/sa")]
    [InlineData("leases", """{"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":"node-1"},"spec":{"holderIdentity":"node-1"}}""",
        "NAME|HOLDER|AGE", "node-1|node-1|*")]
    [InlineData("roles", """{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"Role","metadata":{"name":"r"},"rules":[]}""",
        "NAME|CREATED AT", "r|*")]
    public async Task GetKind_WideTable_RealColumnsAndCells(string resource, string json, string header, string row)
    {
        // The server's clock is 2026-01-01T00:00:00Z, so durations and "ago" in the cases are exact.
        await using var kubectl = await Kubectl.StartWithSimulatorAsync(new KubeSimOptions { Clock = new ManualTimeProvider() });
        var sim = kubectl.Sim;
        var ns = sim.CreateUniqueNamespace("kinds");
        var created = sim.Create(json.Replace("\"metadata\":{", $"\"metadata\":{{\"namespace\":\"{ns}\",", StringComparison.Ordinal));

        var table = Table((await kubectl.RunAsync("get", resource, "-n", ns, "-o", "wide")).Succeeded().Stdout);

        Assert.Equal(header.Split('|'), table.Header);
        var expected = row.Split('|');
        var actual = table.Row(created["metadata"]!["name"]!.GetValue<string>());
        // AGE (or CREATED AT) is the object's own: checked to be there, not compared.
        var timeColumn = Array.FindIndex(table.Header, h => h is "AGE" or "CREATED AT");
        Assert.NotEmpty(actual[timeColumn]);
        actual[timeColumn] = "*";
        Assert.Equal(expected, actual);
    }

    [SkippableFact]
    public async Task GetPods_BeingDeleted_Terminating()
    {
        await using var kubectl = await Kubectl.StartWithSimulatorAsync();
        kubectl.Sim.Create("""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"held","finalizers":["example.com/hold"]},"spec":{"containers":[{"name":"app","image":"a"}]},"status":{"phase":"Running"}}""");
        (await kubectl.RunAsync("delete", "pod", "held", "--wait=false")).Succeeded();

        var table = Table((await kubectl.RunAsync("get", "pod", "held")).Succeeded().Stdout);

        Assert.Equal("Terminating", table.Row("held")[2]);
    }

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(119, "119s")]
    [InlineData(120, "2m")]
    [InlineData(330, "5m30s")]
    [InlineData(600, "10m")]
    [InlineData(179 * 60 + 59, "179m")]
    [InlineData(3 * 3600 + 59, "3h")]
    [InlineData(7 * 3600 + 30 * 60, "7h30m")]
    [InlineData(47 * 3600 + 59 * 60, "47h")]
    [InlineData(2 * 86400 + 5 * 3600, "2d5h")]
    [InlineData(8 * 86400 + 23 * 3600, "8d")]
    [InlineData(800 * 86400L, "2y70d")]
    [InlineData(3000 * 86400L, "8y")]
    [InlineData(-1, "0s")]
    [InlineData(-2, "<invalid>")]
    public void Age_HumanDuration(long seconds, string shown)
    {
        var now = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        Assert.Equal(shown, Plexus.KubeSim.Api.TableCells.Age(now.AddSeconds(-seconds), now));
    }

    [SkippableFact]
    public async Task GetRoles_CreatedAtIsTheCreationTimestamp()
    {
        await using var kubectl = await Kubectl.StartWithSimulatorAsync();
        var created = kubectl.Sim.Create("""{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRole","metadata":{"name":"reader"},"rules":[]}""");

        var table = Table((await kubectl.RunAsync("get", "clusterrole", "reader")).Succeeded().Stdout);

        Assert.Equal(["reader", created["metadata"]!["creationTimestamp"]!.GetValue<string>()], table.Row("reader"));
    }

    internal sealed record ParsedTable(string[] Header, List<string[]> Rows)
    {
        public string[] Row(string name) => Rows.Single(r => r[0] == name);
    }

    /// <summary>Splits kubectl's table by its header's column starts (headers hold single spaces at most, cells may be empty).</summary>
    internal static ParsedTable Table(string stdout)
    {
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var starts = HeaderCell().Matches(lines[0]).Select(m => m.Index).ToArray();
        string[] Cells(string line) =>
        [
            .. starts.Select((start, i) =>
                start >= line.Length ? "" : line[start..Math.Min(line.Length, i + 1 < starts.Length ? starts[i + 1] : line.Length)].Trim()),
        ];
        return new ParsedTable(Cells(lines[0]), [.. lines.Skip(1).Select(Cells)]);
    }

    [GeneratedRegex(@"\S+( \S+)*")]
    private static partial Regex HeaderCell();
}
