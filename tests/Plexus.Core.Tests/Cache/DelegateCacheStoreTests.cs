using System.Text.Json.Nodes;
using Plexus.Cni;
using Plexus.Core.Cache;

namespace Plexus.Core.Tests.Cache;

public sealed class DelegateCacheStoreTests : IDisposable
{
    private readonly string dir = Path.Combine(Path.GetTempPath(), "plexus-cache-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(dir))
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private string CniDir => Path.Combine(dir, "multus");

    private static DelegateCache Sample(string id = "abc123") => new()
    {
        ContainerId = id,
        Netns = "/var/run/netns/p",
        CniVersion = "1.0.0",
        PodNamespace = "pods",
        PodName = "p",
        PodUid = "uid-1",
        Attachments =
        [
            new CachedAttachment { Network = "cbr0", IfName = "eth0", Conf = JsonNode.Parse("""{"name":"cbr0","plugins":[{"type":"bridge","x":{"y":[1]}}]}""")!.AsObject() },
            new CachedAttachment { Network = "pods/a", IfName = "net1", Conf = JsonNode.Parse("""{"name":"a","type":"macvlan"}""")!.AsObject(), CapabilityArgs = new JsonObject { ["mac"] = "02:00:00:00:00:01" } },
        ],
    };

    [Fact]
    public void LoadAndDelete_ContainerNamedLikeTheResultCacheDir_NoCacheAndTheDirKept()
    {
        var results = Path.Combine(CniDir, "results");
        Directory.CreateDirectory(results);
        File.WriteAllText(Path.Combine(results, "cbr0-results-eth0"), "{}");
        var store = new DelegateCacheStore(CniDir);

        Assert.True(store.Load("results", CancellationToken.None).IsMissing);
        store.Delete("results", CancellationToken.None);

        Assert.True(File.Exists(Path.Combine(results, "cbr0-results-eth0")));
    }

    [Fact]
    public void SaveThenLoad_RoundTripsEveryField()
    {
        var store = new DelegateCacheStore(CniDir);

        store.Save(Sample(), CancellationToken.None);
        var loaded = store.Load("abc123", CancellationToken.None).Cache!;

        Assert.Equal(("abc123", "/var/run/netns/p", "1.0.0", "pods", "p", "uid-1"),
            (loaded.ContainerId, loaded.Netns, loaded.CniVersion, loaded.PodNamespace, loaded.PodName, loaded.PodUid));
        Assert.Equal(["cbr0", "pods/a"], loaded.Attachments.Select(a => a.Network).ToArray());
        Assert.True(JsonNode.DeepEquals(Sample().Attachments[0].Conf, loaded.Attachments[0].Conf));
        Assert.Equal("02:00:00:00:00:01", (string?)loaded.Attachments[1].CapabilityArgs!["mac"]);
        Assert.All(loaded.Attachments, a => Assert.Null(a.ClusterNetwork));
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, false)]
    [InlineData(false, true)]
    public void SaveThenLoad_ClusterNetworkMarksRoundTrip(bool first, bool second)
    {
        var sample = Sample();
        var cache = sample with { Attachments = [sample.Attachments[0] with { ClusterNetwork = first }, sample.Attachments[1] with { ClusterNetwork = second }] };
        var store = new DelegateCacheStore(CniDir);

        store.Save(cache, CancellationToken.None);

        Assert.Equal(new bool?[] { first, second }, store.Load("abc123", CancellationToken.None).Cache!.Attachments.Select(a => a.ClusterNetwork));
        Assert.Equal(new bool?[] { first, second }, JsonNode.Parse(File.ReadAllText(Path.Combine(CniDir, "abc123")))!["attachments"]!.AsArray().Select(a => (bool?)a!["clusterNetwork"]));
    }

    [Fact]
    public void Save_LeavesTheAttachmentConfsFreeToBePlacedElsewhere()
    {
        var cache = Sample();

        new DelegateCacheStore(CniDir).Save(cache, CancellationToken.None);

        Assert.All(cache.Attachments, a => Assert.Null(a.Conf.Parent));
        Assert.Equal("""{"plugins":[{"name":"a","type":"macvlan"}]}""", new JsonObject { ["plugins"] = new JsonArray(cache.Attachments[1].Conf) }.ToJsonString());
    }

    [Fact]
    public void Save_SetsPrivateModes()
    {
        new DelegateCacheStore(CniDir).Save(Sample(), CancellationToken.None);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(CniDir));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(CniDir, "abc123")));
        Assert.Single(Directory.GetFiles(CniDir));
    }

    [Fact]
    public void Load_Missing_IsMissing()
    {
        var load = new DelegateCacheStore(CniDir).Load("nothing", CancellationToken.None);

        Assert.True(load.IsMissing);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("""{"kind":"other","containerId":"abc123","attachments":[]}""")]
    [InlineData("""{"kind":"plexusDelegateCacheV1","containerId":"zzz","attachments":[]}""")]
    [InlineData("""{"kind":"plexusDelegateCacheV1","containerId":"abc123"}""")]
    [InlineData("""{"kind":"plexusDelegateCacheV1","containerId":"abc123","attachments":[null]}""")]
    [InlineData("""{"kind":"plexusDelegateCacheV1","containerId":"abc123","attachments":[{"network":"n","ifName":"eth0"}]}""")]
    [InlineData("""{"kind":"plexusDelegateCacheV1","containerId":"abc123","attachments":[{"network":"n","ifName":"eth0","conf":"x"}]}""")]
    [InlineData("""{"kind":"plexusDelegateCacheV1","containerId":"abc123","attachments":[{"network":1,"ifName":"eth0","conf":{}}]}""")]
    [InlineData("""["plexusDelegateCacheV1"]""")]
    [InlineData("""{"kind":"plexusDelegateCacheV1","containerId":"abc123","attachments":[{"network":"n","ifName":"eth0","conf":{},"clusterNetwork":"yes"}]}""")]
    [InlineData("")]
    public void Load_Corrupt_ProblemNamesFile(string content)
    {
        Directory.CreateDirectory(CniDir);
        File.WriteAllText(Path.Combine(CniDir, "abc123"), content);

        var load = new DelegateCacheStore(CniDir).Load("abc123", CancellationToken.None);

        Assert.Null(load.Cache);
        Assert.False(load.IsMissing);
        Assert.False(load.IsUnreadable);
        Assert.Contains(Path.Combine(CniDir, "abc123"), load.Problem);
    }

    /// <summary>A symlink to itself: opening it fails (ELOOP) for root too, unlike a file without read permission.</summary>
    [Fact]
    public void Load_FileThatCannotBeOpened_UnreadableNotCorrupt()
    {
        Directory.CreateDirectory(CniDir);
        var path = Path.Combine(CniDir, "abc123");
        File.CreateSymbolicLink(path, path);

        var load = new DelegateCacheStore(CniDir).Load("abc123", CancellationToken.None);

        Assert.Null(load.Cache);
        Assert.False(load.IsMissing);
        Assert.True(load.IsUnreadable);
        Assert.StartsWith($"the delegate cache {path} could not be read: ", load.Problem);
    }

    [Fact]
    public void Delete_RemovesAndIsIdempotent()
    {
        var store = new DelegateCacheStore(CniDir);
        store.Save(Sample(), CancellationToken.None);

        store.Delete("abc123", CancellationToken.None);
        store.Delete("abc123", CancellationToken.None);
        new DelegateCacheStore(Path.Combine(dir, "never-created")).Delete("abc123", CancellationToken.None);

        Assert.True(store.Load("abc123", CancellationToken.None).IsMissing);
    }

    [Theory]
    [InlineData("../etc")]
    [InlineData("a/b")]
    [InlineData("")]
    [InlineData(".hidden")]
    public void PathOf_BadContainerId_InvalidEnvironment(string id)
    {
        var error = Assert.Throws<CniException>(() => new DelegateCacheStore(CniDir).Save(Sample(id), CancellationToken.None));

        Assert.Equal(CniErrorCode.InvalidEnvironment, error.Code);
        Assert.False(Directory.Exists(CniDir));
    }
}
