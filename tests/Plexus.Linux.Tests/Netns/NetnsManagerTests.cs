using Plexus.Linux.Netlink;
using Plexus.Linux.Netns;

namespace Plexus.Linux.Tests.Netns;

[Trait("Category", "Root")]
public sealed class NetnsManagerTests : IDisposable
{
    private readonly string _name = $"plexus-test-{Environment.ProcessId}-{Guid.NewGuid():N}"[..32];

    public void Dispose() => NetnsManager.Delete(_name);

    [SkippableFact]
    public async Task CreateAsync_NewName_CreatesEmptyNamespaceVisibleToIp()
    {
        Skip.IfNot(Environment.IsPrivilegedProcess, "needs root to create network namespaces");

        var path = await NetnsManager.CreateAsync(_name, CancellationToken.None);

        Assert.Equal($"/run/netns/{_name}", path);
        Assert.Contains(_name, NetnsManager.List());
        using var client = NetlinkClient.Open(path, CancellationToken.None);
        var link = Assert.Single(client.ListLinks(CancellationToken.None));
        Assert.Equal("lo", link.Name);
        Assert.False(link.IsUp);
    }

    [SkippableFact]
    public async Task RunAsync_InsideNamespace_SeesOtherNamespaceAndCallerIsUnchanged()
    {
        Skip.IfNot(Environment.IsPrivilegedProcess, "needs root to create network namespaces");
        var path = await NetnsManager.CreateAsync(_name, CancellationToken.None);
        var outside = NamespaceId();

        var (inside, links) = await NetnsRunner.RunAsync(path, () =>
        {
            using var client = NetlinkClient.Open();
            return (NamespaceId(), client.ListLinks(CancellationToken.None));
        }, CancellationToken.None);

        Assert.NotEqual(outside, inside);
        Assert.Equal(["lo"], links.Select(l => l.Name));
        Assert.Equal(outside, NamespaceId());
    }

    [SkippableFact]
    public async Task RunAsync_ActionThrows_PropagatesException()
    {
        Skip.IfNot(Environment.IsPrivilegedProcess, "needs root to create network namespaces");
        var path = await NetnsManager.CreateAsync(_name, CancellationToken.None);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => NetnsRunner.RunAsync<int>(path, () => throw new InvalidOperationException("boom"), CancellationToken.None));

        Assert.Equal("boom", error.Message);
    }

    [Fact]
    public async Task RunAsync_MissingNamespace_ThrowsNamingPath()
    {
        var error = await Assert.ThrowsAsync<IOException>(() => NetnsRunner.RunAsync("/run/netns/plexus-missing-ns", () => 1, CancellationToken.None));

        Assert.Contains("/run/netns/plexus-missing-ns", error.Message);
    }

    [SkippableFact]
    public async Task CreateIn_SocketBelongsToNamespaceAndCallingThreadReturns()
    {
        Skip.IfNot(Environment.IsPrivilegedProcess, "needs root to create network namespaces");
        var path = await NetnsManager.CreateAsync(_name, CancellationToken.None);
        var outside = NamespaceId();
        var thread = Environment.CurrentManagedThreadId;

        var (inside, client) = NetnsRunner.CreateIn(path, () => (NamespaceId(), NetlinkClient.Open()));

        using (client)
        {
            Assert.Equal(thread, Environment.CurrentManagedThreadId);
            Assert.NotEqual(outside, inside);
            Assert.Equal(outside, NamespaceId());
            // The socket answers for the namespace it was created in, not the caller's.
            Assert.Equal(["lo"], client.ListLinks(CancellationToken.None).Select(l => l.Name));
        }
    }

    [SkippableFact]
    public async Task CreateIn_CreateThrows_PropagatesAndCallingThreadReturns()
    {
        Skip.IfNot(Environment.IsPrivilegedProcess, "needs root to create network namespaces");
        var path = await NetnsManager.CreateAsync(_name, CancellationToken.None);
        var outside = NamespaceId();

        var error = Assert.Throws<InvalidOperationException>(() => NetnsRunner.CreateIn<int>(path, () => throw new InvalidOperationException("boom")));

        Assert.Equal("boom", error.Message);
        Assert.Equal(outside, NamespaceId());
    }

    [Fact]
    public void CreateIn_MissingNamespace_ThrowsNamingPathAndStaysHome()
    {
        var outside = NamespaceId();

        var error = Assert.Throws<IOException>(() => NetnsRunner.CreateIn("/run/netns/plexus-missing-ns", () => 1));

        Assert.StartsWith("cannot open network namespace /run/netns/plexus-missing-ns: it does not exist", error.Message);
        Assert.Equal(outside, NamespaceId());
    }

    [SkippableFact]
    public async Task Delete_ExistingNamespace_RemovesItAndIsIdempotent()
    {
        Skip.IfNot(Environment.IsPrivilegedProcess, "needs root to create network namespaces");
        await NetnsManager.CreateAsync(_name, CancellationToken.None);

        NetnsManager.Delete(_name);
        NetnsManager.Delete(_name);

        Assert.False(NetnsManager.Exists(_name));
        Assert.DoesNotContain(_name, NetnsManager.List());
    }

    [SkippableFact]
    public async Task CreateAsync_ExistingName_ThrowsAndKeepsExisting()
    {
        Skip.IfNot(Environment.IsPrivilegedProcess, "needs root to create network namespaces");
        await NetnsManager.CreateAsync(_name, CancellationToken.None);

        await Assert.ThrowsAsync<IOException>(() => NetnsManager.CreateAsync(_name, CancellationToken.None));

        Assert.True(NetnsManager.Exists(_name));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a/b")]
    [InlineData("..")]
    public void PathOf_InvalidName_Throws(string name) =>
        Assert.Throws<ArgumentException>(() => NetnsManager.PathOf(name));

    // "net:[inode]": the identity of the calling thread's network namespace.
    private static string? NamespaceId() => new FileInfo("/proc/thread-self/ns/net").LinkTarget;
}
