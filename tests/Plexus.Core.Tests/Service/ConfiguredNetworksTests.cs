using System.Text.Json.Nodes;
using Plexus.Cni;
using Plexus.Cni.Results;
using Plexus.Core.Ports;

namespace Plexus.Core.Tests.Service;

/// <summary>
/// Networks the admin names in the config, <c>clusterNetwork</c> and <c>defaultNetworks</c>, found as upstream
/// finds them (a path; else a NAD in multusNamespace; else a config of that name in confDir), how they are
/// named in network-status, and what a pod's ADD reports around them.
/// </summary>
public sealed class ConfiguredNetworksTests : IDisposable
{
    private readonly MetaPluginRig rig = new();

    public ConfiguredNetworksTests()
    {
        Directory.CreateDirectory(ConfDir);
        Directory.CreateDirectory(NodeDir);
    }

    private string ConfDir => Path.Combine(rig.Dir, "net.d");

    private string NodeDir => Path.Combine(rig.Dir, "node");

    public void Dispose() => rig.Dispose();

    private string[] StatusNames() =>
        [.. JsonNode.Parse(rig.Kube.StatusWrites.Single())!.AsArray().Select(s => (string)s!["name"]!)];

    [Fact]
    public async Task Add_DefaultNetworksBesideClusterNetwork_EachFoundLikeUpstreamBeforeTheAnnotations()
    {
        rig.Annotate("a");
        rig.Kube.AddNad("pods", "a", """{"cniVersion":"1.0.0","type":"macvlan"}""");
        rig.Kube.AddNad("kube-system", "by-nad", """{"cniVersion":"1.0.0","type":"macvlan"}""");
        File.WriteAllText(Path.Combine(ConfDir, "20-by-conf.conf"), """{"cniVersion":"1.0.0","name":"by-conf","type":"macvlan"}""");
        File.WriteAllText(Path.Combine(NodeDir, "by-path.conf"), """{"cniVersion":"1.0.0","name":"storage","type":"macvlan"}""");
        File.WriteAllText(Path.Combine(NodeDir, "10-cbr.conf"), """{"cniVersion":"1.0.0","name":"cbr0","type":"bridge"}""");
        var config = rig.Config($$""","clusterNetwork":"{{NodeDir}}/10-cbr.conf","defaultNetworks":["by-nad","by-conf","{{NodeDir}}/by-path.conf"]""");

        await rig.Plugin().AddAsync(MetaPluginRig.Invocation("ADD", config), CancellationToken.None);

        Assert.Equal(["bridge eth0", "macvlan net1", "macvlan net2", "macvlan net3", "macvlan net4"], rig.Runs("ADD").Select(c => $"{c.Type} {c.Invocation.IfName}"));
        Assert.Equal(["cbr0", "kube-system/by-nad", "by-conf", "storage", "pods/a"], StatusNames());
        Assert.Equal(["get pod pods/web", "get nad kube-system/by-nad", "get nad kube-system/by-conf", "get nad pods/a", "patch status pods/web", "create event pods/web"], rig.Kube.Requests);
    }

    [Fact]
    public async Task Add_DefaultNetworkFoundNowhere_ErrorNamesEntryClusterNetworkUndone()
    {
        var config = rig.Config(""","clusterNetwork":"cbr0","defaultNetworks":["missing"]""");
        File.WriteAllText(Path.Combine(ConfDir, "10-cbr.conflist"), """{"cniVersion":"1.0.0","name":"cbr0","plugins":[{"type":"bridge"}]}""");

        var error = await Assert.ThrowsAsync<CniException>(() => rig.Plugin().AddAsync(MetaPluginRig.Invocation("ADD", config), CancellationToken.None));

        Assert.Equal(CniErrorCode.InvalidNetworkConfig, error.Code);
        Assert.Contains("defaultNetworks entry \"missing\" is neither a NetworkAttachmentDefinition in kube-system nor a config named so in", error.Message);
        Assert.Equal(["bridge"], rig.Runs("DEL").Select(c => c.Type));
        Assert.False(File.Exists(rig.CacheFile));
    }

    [Fact]
    public async Task Add_ClusterNetworkDirectory_FirstConfOrConflistNamedByItsConfig()
    {
        File.WriteAllText(Path.Combine(NodeDir, "00-first.json"), """{"cniVersion":"1.0.0","name":"json-ignored","type":"macvlan"}""");
        File.WriteAllText(Path.Combine(NodeDir, "10-cbr.conflist"), """{"cniVersion":"1.0.0","name":"cbr0","plugins":[{"type":"bridge"}]}""");
        var config = rig.Config($$""","clusterNetwork":"{{NodeDir}}" """);

        await rig.Plugin().AddAsync(MetaPluginRig.Invocation("ADD", config), CancellationToken.None);

        Assert.Equal(["bridge"], rig.Runs("ADD").Select(c => c.Type));
        Assert.Equal(["cbr0"], StatusNames());
        Assert.Contains("from cbr0", rig.Kube.Events.Single().Message);
    }

    [Fact]
    public async Task Add_ClusterNetworkSet_DelegatesNeitherValidatedNorUsed()
    {
        File.WriteAllText(Path.Combine(ConfDir, "10-cbr.conf"), """{"cniVersion":"1.0.0","name":"cbr0","type":"bridge"}""");
        var config = $$"""
            {"cniVersion":"1.0.0","name":"plexus-net","type":"plexus","cniDir":"{{rig.Dir}}","confDir":"{{ConfDir}}","binDir":"{{Testing.RecordingPluginExecutor.BinDir}}",
             "clusterNetwork":"cbr0","delegates":[{}]}
            """;

        await rig.Plugin().AddAsync(MetaPluginRig.Invocation("ADD", config), CancellationToken.None);

        Assert.Equal(["bridge"], rig.Runs("ADD").Select(c => c.Type));
    }

    [Fact]
    public async Task Add_StatusNotWritten_AddedInterfaceEventStillRecordedInUpstreamForm()
    {
        rig.Kube.NextStatusOutcomes.Enqueue(StatusWriteOutcome.PodNotFound);

        await rig.Plugin().AddAsync(MetaPluginRig.Invocation("ADD", rig.Config()), CancellationToken.None);

        Assert.Equal("Add eth0 [10.0.0.5/24] from cbr0", rig.Kube.Events.Single().Message);
    }

    [Fact]
    public async Task Add_ClusterResultNotExpressibleInRequestVersion_RolledBackErrorNamesNetwork()
    {
        rig.Annotate("a");
        rig.Kube.AddNad("pods", "a", """{"cniVersion":"1.0.0","type":"macvlan"}""");
        rig.Executor.Answer("bridge", "ADD", """{"cniVersion":"1.0.0","interfaces":[{"name":"eth0","sandbox":"/ns"}]}""");
        var config = rig.Config().Replace("\"cniVersion\":\"1.0.0\",\"name\":\"plexus-net\"", "\"cniVersion\":\"0.2.0\",\"name\":\"plexus-net\"");

        var error = await Assert.ThrowsAsync<CniException>(() => rig.Plugin().AddAsync(MetaPluginRig.Invocation("ADD", config), CancellationToken.None));

        Assert.Contains("pod pods/web: network cbr0 (eth0): its result in cniVersion 0.2.0:", error.Message);
        Assert.Equal(["macvlan", "bridge"], rig.Runs("DEL").Select(c => c.Type));
        Assert.Empty(rig.Kube.StatusWrites);
        Assert.False(File.Exists(rig.CacheFile));
    }

    [Fact]
    public async Task Add_ClusterResultInRequestVersion_ReturnedConverted()
    {
        var config = rig.Config().Replace("\"cniVersion\":\"1.0.0\",\"name\":\"plexus-net\"", "\"cniVersion\":\"0.4.0\",\"name\":\"plexus-net\"");

        var result = await rig.Plugin().AddAsync(MetaPluginRig.Invocation("ADD", config), CancellationToken.None);

        Assert.Equal("10.0.0.5/24", Assert.Single(((Result040)result).Ips).Address);
    }
}
