using System.Text.Json.Nodes;

namespace Plexus.Deploy.Tests;

/// <summary>The objects of deploy/, grouped by file, with lookups by kind and name.</summary>
internal sealed class Manifests
{
    /// <summary>Every manifest a cluster install applies (examples are applied separately).</summary>
    public static readonly string[] InstallFiles =
    [
        "crd.yaml", "thin/rbac.yaml", "thin/daemonset.yaml",
        "thick/rbac.yaml", "thick/configmap.yaml", "thick/daemonset.yaml",
    ];

    public static readonly string[] ExampleFiles = ["examples/macvlan-nad.yaml", "examples/pod.yaml"];

    private readonly List<JsonObject> _objects;

    private Manifests(List<JsonObject> objects) => _objects = objects;

    public static Manifests Load(params string[] files) =>
        new(files.SelectMany(f => YamlDocuments.Load(RepoLayout.DeployFile(f))).ToList());

    public static Manifests LoadAll() => Load([.. InstallFiles, .. ExampleFiles]);

    public IReadOnlyList<JsonObject> All => _objects;

    public IEnumerable<JsonObject> OfKind(string kind) => _objects.Where(o => Str(o, "kind") == kind);

    public JsonObject Get(string kind, string name) =>
        OfKind(kind).SingleOrDefault(o => Str(o["metadata"], "name") == name)
        ?? throw new Xunit.Sdk.XunitException($"deploy/ has no {kind} named {name}");

    public static string? Str(JsonNode? node, string key) => node?[key]?.GetValue<string>();

    public static IEnumerable<JsonObject> Objects(JsonNode? array) => (array as JsonArray ?? []).OfType<JsonObject>();

    public static IEnumerable<string> Strings(JsonNode? array) =>
        (array as JsonArray ?? []).Select(n => n?.GetValue<string>() ?? "");
}
