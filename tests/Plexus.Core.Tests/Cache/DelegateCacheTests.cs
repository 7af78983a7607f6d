using System.Text.Json.Nodes;
using Plexus.Core.Cache;
using Plexus.Core.Planning;

namespace Plexus.Core.Tests.Cache;

/// <summary>
/// Plexus's delegate cache as hot-plugs edit it: an unplug finds its attachment by the conf's own name and the interface,
/// whether the pod's ADD recorded it under its NAD's <c>namespace/name</c> or a hot-plug did.
/// </summary>
public sealed class DelegateCacheTests
{
    /// <summary>
    /// What the pod's ADD saved for the annotation <c>a, a@mv2, b</c> (NAD <c>pods/a</c>'s config named <c>a-conf</c>,
    /// <c>pods/b</c>'s <c>b-conf</c>), then the network <c>dyn</c> hot-plugged on <c>net4</c>.
    /// </summary>
    private static readonly DelegateCache PodCache = new()
    {
        ContainerId = "c1",
        Netns = "/ns",
        Attachments =
        [
            Cached("cbr0", "cbr0", "eth0"),
            Cached("pods/a", "a-conf", "net1"),
            Cached("pods/a", "a-conf", "mv2"),
            Cached("pods/b", "b-conf", "net3"),
            Cached("dyn", "dyn", "net4"),
        ],
    };

    private static CachedAttachment Cached(string network, string confName, string ifName) => new()
    {
        Network = network,
        IfName = ifName,
        Conf = JsonNode.Parse($$"""{"cniVersion":"1.0.0","name":"{{confName}}","plugins":[{"type":"macvlan"}]}""")!.AsObject(),
        CapabilityArgs = new JsonObject { ["mac"] = $"02:00:00:00:00:{ifName.Length:x2}" },
    };

    /// <summary>What an unplug plans from the controller's request: the network's own config, named by its conf, on CNI_IFNAME.</summary>
    private static Attachment Unplugged(string confName, string ifName) => new()
    {
        Index = 0,
        Network = confName,
        IfName = ifName,
        Conf = JsonNode.Parse($$"""{"cniVersion":"1.0.0","name":"{{confName}}","plugins":[{"type":"macvlan"}]}""")!.AsObject(),
    };

    private static IEnumerable<(string Network, string IfName)> Recorded(DelegateCache cache) => cache.Attachments.Select(a => (a.Network, a.IfName));

    [Theory]
    [InlineData("net1", "mv2")]
    [InlineData("mv2", "net1")]
    public void Without_NadThePodsAddAttachedTwice_OnlyTheOneOnTheUnpluggedInterfaceGoes(string unplugged, string kept)
    {
        var rest = PodCache.Without(Unplugged("a-conf", unplugged));

        Assert.Equal(4, rest.Attachments.Count);
        Assert.DoesNotContain(("pods/a", unplugged), Recorded(rest));
        Assert.Contains(("pods/a", kept), Recorded(rest));
        Assert.Equal(("c1", "/ns"), (rest.ContainerId, rest.Netns));
    }

    [Fact]
    public void Without_AttachmentBeforeOthersOnNetIndex_TheRestKeepTheirOrderInterfacesAndArgs()
    {
        var rest = PodCache.Without(Unplugged("a-conf", "net1"));

        Assert.Equal([("cbr0", "eth0"), ("pods/a", "mv2"), ("pods/b", "net3"), ("dyn", "net4")], Recorded(rest));
        Assert.Equal([.. PodCache.Attachments.Where(a => a.IfName != "net1")], rest.Attachments);
        // As the pod's DEL derives them: net3 and net4 are still net3 and net4, not renumbered by position.
        Assert.Equal(["eth0", "mv2", "net3", "net4"], rest.Attachments.Select((a, i) => a.ToAttachment(i).IfName));
    }

    [Fact]
    public void Without_HotPluggedNetwork_FoundByItsConfNameToo()
    {
        var rest = PodCache.Without(Unplugged("dyn", "net4"));

        Assert.Equal([("cbr0", "eth0"), ("pods/a", "net1"), ("pods/a", "mv2"), ("pods/b", "net3")], Recorded(rest));
    }

    [Theory]
    [InlineData("cbr0", "eth0")] // the cluster network is the pod's own, never an unplug's
    [InlineData("pods/a", "net1")] // a NAD's namespace/name is not its conf's name
    [InlineData("pods/b", "net3")]
    [InlineData("a", "net1")] // the NAD's name either, when its config names itself
    [InlineData("a-conf", "net3")] // the network, but not on that interface
    [InlineData("a-conf", "net9")]
    [InlineData("b-conf", "net1")]
    [InlineData("dyn", "eth0")]
    [InlineData("", "net1")]
    public void Without_NoAttachmentOfThatConfOnThatInterface_SameCache(string confName, string ifName)
    {
        Assert.Same(PodCache, PodCache.Without(Unplugged(confName, ifName)));
    }

    /// <summary>Two records of the one attachment (one result cache per conf name and interface): the unplug detached it, both go.</summary>
    [Fact]
    public void Without_TwoRecordsOfTheUnpluggedAttachment_BothGo()
    {
        var twice = PodCache with { Attachments = [.. PodCache.Attachments, Cached("a-conf", "a-conf", "net1")] };

        var rest = twice.Without(Unplugged("a-conf", "net1"));

        Assert.Equal([("cbr0", "eth0"), ("pods/a", "mv2"), ("pods/b", "net3"), ("dyn", "net4")], Recorded(rest));
    }

    /// <summary>
    /// What a DEL with retryDeleteOnError kept when net1's and net3's DELs failed: no cluster network, so the first
    /// attachment is an ordinary one an unplug takes out.
    /// </summary>
    [Fact]
    public void Without_RemainderOfAFailedDelStartingWithAnExtraNetwork_ItsFirstAttachmentGoes()
    {
        var remainder = PodCache with { Attachments = [Marked(PodCache.Attachments[1], false), Marked(PodCache.Attachments[3], false)] };

        var rest = remainder.Without(Unplugged("a-conf", "net1"));

        Assert.Equal([("pods/b", "net3")], Recorded(rest));
    }

    [Fact]
    public void Without_ClusterNetworkMarkedAsSuch_Kept()
    {
        var marked = PodCache with { Attachments = [.. PodCache.Attachments.Select((a, i) => Marked(a, i == 0))] };

        Assert.Same(marked, marked.Without(Unplugged("cbr0", "eth0")));
        Assert.Equal(4, marked.Without(Unplugged("dyn", "net4")).Attachments.Count);
    }

    /// <summary>A cache written before the mark (PodCache has none): the first attachment is the cluster network, as the pod's ADD saved them.</summary>
    [Fact]
    public void IsClusterNetworkAt_Unmarked_TheFirstOnly()
    {
        Assert.Equal([true, false, false, false, false], PodCache.Attachments.Select((a, i) => a.IsClusterNetworkAt(i)));
        Assert.Equal([true, false, false, false, false], PodCache.Attachments.Select((a, i) => a.ToAttachment(i).IsClusterNetwork));
    }

    /// <summary>A DEL's remainder read back and kept again (a second failed DEL): the marks go through the attachments unchanged.</summary>
    [Fact]
    public void ToAttachmentThenFrom_Marked_KeepsTheMarkWhateverThePosition()
    {
        var remainder = new[] { Marked(PodCache.Attachments[3], false), Marked(PodCache.Attachments[0], true) };

        var again = remainder.Select((a, i) => CachedAttachment.From(a.ToAttachment(i))).ToList();

        Assert.Equal(new bool?[] { false, true }, again.Select(a => a.ClusterNetwork));
        Assert.Equal([false, true], remainder.Select((a, i) => a.ToAttachment(i).IsClusterNetwork));
    }

    private static CachedAttachment Marked(CachedAttachment attachment, bool clusterNetwork) => attachment with { ClusterNetwork = clusterNetwork };

    [Fact]
    public void Without_EmptyCacheAnEarlierDelLeft_SameCache()
    {
        var settled = PodCache with { Attachments = [] };

        Assert.Same(settled, settled.Without(Unplugged("a-conf", "net1")));
    }

    [Fact]
    public void WithHotPlugged_SameConfOnAnInterfaceThePodsAddRecorded_ReplacesThatRecordLast()
    {
        var again = Unplugged("a-conf", "mv2") with { CapabilityArgs = new JsonObject { ["mac"] = "02:00:00:00:00:99" } };

        var cache = PodCache.WithHotPlugged(again);

        Assert.Equal([("cbr0", "eth0"), ("pods/a", "net1"), ("pods/b", "net3"), ("dyn", "net4"), ("a-conf", "mv2")], Recorded(cache));
        Assert.Equal("02:00:00:00:00:99", (string?)cache.Attachments[^1].CapabilityArgs!["mac"]);
    }

    /// <summary>A hot-plug plans its one network as a pod's first (Index 0): still never recorded as the cluster network.</summary>
    [Fact]
    public void WithHotPlugged_PlannedAtIndexZero_RecordedAsNotTheClusterNetworkSoAnUnplugTakesItOut()
    {
        var remainder = PodCache with { Attachments = [] };

        var cache = remainder.WithHotPlugged(Unplugged("dyn", "net7"));

        Assert.False(Assert.Single(cache.Attachments).ClusterNetwork);
        Assert.Empty(cache.Without(Unplugged("dyn", "net7")).Attachments);
    }

    [Fact]
    public void WithHotPlugged_OnTheClusterNetworksConfAndInterface_ClusterNetworkKept()
    {
        var cache = PodCache.WithHotPlugged(Unplugged("cbr0", "eth0"));

        Assert.Equal(PodCache.Attachments.Count + 1, cache.Attachments.Count);
        Assert.Same(PodCache.Attachments[0], cache.Attachments[0]);
    }
}
