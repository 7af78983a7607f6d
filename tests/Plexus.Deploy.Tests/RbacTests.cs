using System.Text.Json.Nodes;

namespace Plexus.Deploy.Tests;

/// <summary>Least privilege: each mode's ClusterRole grants exactly what that mode calls.</summary>
public sealed class RbacTests
{
    private static readonly Manifests Deploy = Manifests.Load(Manifests.InstallFiles);

    // What the thin plugin calls per pod: GET the pod and its NADs, patch network-status through the
    // status subresource, create AddedInterface / NoNetworkFound events (core v1, never patched).
    private static readonly string[] ThinGrants =
    [
        "/pods:get", "/pods/status:patch",
        "k8s.cni.cncf.io/network-attachment-definitions:get",
        "/events:create",
    ];

    // The daemon's caches add list+watch of pods (this node's) and NADs; nothing else.
    private static readonly string[] ThickGrants =
    [
        .. ThinGrants, "/pods:list", "/pods:watch",
        "k8s.cni.cncf.io/network-attachment-definitions:list", "k8s.cni.cncf.io/network-attachment-definitions:watch",
    ];

    public static TheoryData<string, string[]> Roles => new() { { "plexus", ThinGrants }, { "plexusd", ThickGrants } };

    [Theory]
    [MemberData(nameof(Roles))]
    public void ClusterRole_EachMode_GrantsExactlyWhatItCalls(string role, string[] expected)
    {
        var granted = Grants(Deploy.Get("ClusterRole", role));

        Assert.Equal(expected.Order(), granted.Order());
    }

    [Theory]
    [InlineData("plexus", "plexus")]
    [InlineData("plexusd", "plexusd")]
    public void ClusterRoleBinding_EachMode_BindsTheDaemonSetsServiceAccountToItsRole(string daemonSet, string role)
    {
        var ds = Deploy.Get("DaemonSet", daemonSet);
        var ns = Manifests.Str(ds["metadata"], "namespace");
        var account = Manifests.Str(new PodTemplate(ds).Spec, "serviceAccountName");
        var binding = Deploy.OfKind("ClusterRoleBinding").Single(b => Manifests.Str(b["roleRef"], "name") == role);

        Assert.Equal("ClusterRole", Manifests.Str(binding["roleRef"], "kind"));
        var subject = Assert.Single(Manifests.Objects(binding["subjects"]));
        Assert.Equal(("ServiceAccount", account, ns),
            (Manifests.Str(subject, "kind"), Manifests.Str(subject, "name"), Manifests.Str(subject, "namespace")));
        Assert.Equal(ns, Manifests.Str(Deploy.Get("ServiceAccount", account!)["metadata"], "namespace"));
    }

    [Fact]
    public void Grants_RoleWithWildcard_ExpandsToWildcardEntry()
    {
        // The comparison above is only as good as the flattening: a wildcard rule must not vanish.
        var role = new JsonObject
        {
            ["rules"] = new JsonArray(new JsonObject
            {
                ["apiGroups"] = new JsonArray("*"), ["resources"] = new JsonArray("pods"), ["verbs"] = new JsonArray("*"),
            }),
        };

        Assert.Equal(["*/pods:*"], Grants(role));
    }

    private static List<string> Grants(JsonObject role) =>
        (from rule in Manifests.Objects(role["rules"])
         from g in Manifests.Strings(rule["apiGroups"])
         from r in Manifests.Strings(rule["resources"])
         from v in Manifests.Strings(rule["verbs"])
         select $"{g}/{r}:{v}").ToList();
}
