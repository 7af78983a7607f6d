using System.Text.Json.Nodes;

namespace Plexus.Bench.Scenarios;

/// <summary>
/// The objects the scale rows load into the simulator, shaped like a real cluster's: pods spread
/// over namespaces with labels, two requested networks, a network-status annotation, a container
/// with env, ports and resources, and status; NADs with a macvlan config each.
/// </summary>
internal static class ScaleObjects
{
    public const int Namespaces = 20;

    public static string Namespace(int i) => $"scale-ns-{i % Namespaces}";

    public static JsonObject Nad(int i) => new()
    {
        ["apiVersion"] = "k8s.cni.cncf.io/v1",
        ["kind"] = "NetworkAttachmentDefinition",
        ["metadata"] = new JsonObject { ["name"] = $"nad-{i}", ["namespace"] = Namespace(i) },
        ["spec"] = new JsonObject
        {
            ["config"] = $$$"""
                {"cniVersion":"1.0.0","name":"nad-{{{i}}}","type":"macvlan","master":"eth1","mode":"bridge",
                 "ipam":{"type":"host-local","ranges":[[{"subnet":"10.{{{i / 250 % 250}}}.{{{i % 250}}}.0/24"}]]}}
                """,
        },
    };

    /// <summary>Pod <paramref name="i"/> on <paramref name="nodeName"/>, asking for two of the first <paramref name="nads"/> NADs in its namespace.</summary>
    public static JsonObject Pod(int i, string nodeName, int nads)
    {
        var ns = Namespace(i);
        var first = NadInNamespace(i, nads);
        var second = NadInNamespace(i + Namespaces, nads);
        var ip = $"10.244.{i / 250 % 250}.{i % 250 + 2}";
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject
            {
                ["name"] = $"app-{i}-7d4b9c8f6-x{i % 97:00}",
                ["namespace"] = ns,
                ["labels"] = new JsonObject { ["app"] = $"app-{i % 50}", ["pod-template-hash"] = "7d4b9c8f6", ["tier"] = "backend" },
                ["annotations"] = new JsonObject
                {
                    ["k8s.v1.cni.cncf.io/networks"] = $"{first},{second}",
                    ["k8s.v1.cni.cncf.io/network-status"] = $$$"""
                        [{"name":"cbr0","interface":"eth0","ips":["{{{ip}}}"],"mac":"0a:58:0a:f4:00:02","default":true,"dns":{}},
                         {"name":"{{{ns}}}/{{{first}}}","interface":"net1","ips":["10.1.0.{{{i % 250 + 2}}}"],"mac":"0a:58:0a:01:00:02","dns":{}},
                         {"name":"{{{ns}}}/{{{second}}}","interface":"net2","ips":["10.2.0.{{{i % 250 + 2}}}"],"mac":"0a:58:0a:02:00:02","dns":{}}]
                        """,
                },
            },
            ["spec"] = new JsonObject
            {
                ["nodeName"] = nodeName,
                ["serviceAccountName"] = "default",
                ["containers"] = new JsonArray(new JsonObject
                {
                    ["name"] = "app",
                    ["image"] = $"registry.example.com/team/app-{i % 50}:1.4.{i % 10}",
                    ["ports"] = new JsonArray(new JsonObject { ["containerPort"] = 8080, ["protocol"] = "TCP" }),
                    ["env"] = new JsonArray(
                        [.. Enumerable.Range(0, 6).Select(k => (JsonNode)new JsonObject { ["name"] = $"SETTING_{k}", ["value"] = $"value-{k}-{i}" })]),
                    ["resources"] = new JsonObject
                    {
                        ["requests"] = new JsonObject { ["cpu"] = "100m", ["memory"] = "128Mi" },
                        ["limits"] = new JsonObject { ["memory"] = "256Mi" },
                    },
                }),
            },
            ["status"] = new JsonObject
            {
                ["phase"] = "Running",
                ["podIP"] = ip,
                ["hostIP"] = "192.168.10.11",
                ["conditions"] = new JsonArray(
                    [.. new[] { "Initialized", "Ready", "ContainersReady", "PodScheduled" }
                        .Select(c => (JsonNode)new JsonObject { ["type"] = c, ["status"] = "True" })]),
            },
        };
    }

    /// <summary>NAD k lives in namespace k mod 20, so with a NAD count that is a multiple of 20 this one is in pod i's namespace.</summary>
    private static string NadInNamespace(int i, int nads) => $"nad-{i % Math.Max(nads, 1)}";
}
