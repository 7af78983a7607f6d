using Plexus.Cni.Invoke;
using Plexus.Testing;

namespace Plexus.Cni.Tests.Invoke;

public sealed class PluginVersionCacheTests
{
    private const string Bridge = RecordingPluginExecutor.BinDir + "/bridge";

    [Fact]
    public async Task GetSupportedVersionsAsync_CalledTwice_ProbesOnceWithVersionCommand()
    {
        var executor = new RecordingPluginExecutor().WithPlugin("bridge", "0.4.0", "1.0.0");
        var cache = new PluginVersionCache(executor);

        var first = await cache.GetSupportedVersionsAsync(Bridge, CancellationToken.None);
        var second = await cache.GetSupportedVersionsAsync(Bridge, CancellationToken.None);

        Assert.Equal([CniVersion.V040, CniVersion.V100], first);
        Assert.Same(first, second);
        var call = Assert.Single(executor.Calls);
        Assert.Equal("VERSION", call.Invocation.Command);
        Assert.Equal("1.1.0", call.Config?["cniVersion"]?.GetValue<string>());
    }

    [Fact]
    public async Task SupportsAsync_VersionNotListed_ReturnsFalse()
    {
        var cache = new PluginVersionCache(new RecordingPluginExecutor().WithPlugin("bridge", "0.4.0", "1.0.0"));

        Assert.False(await cache.SupportsAsync(Bridge, CniVersion.V110, CancellationToken.None));
        Assert.True(await cache.SupportsAsync(Bridge, CniVersion.V100, CancellationToken.None));
    }

    [Fact]
    public async Task GetSupportedVersionsAsync_ProbeFails_IsNotCached()
    {
        var executor = new RecordingPluginExecutor().WithPlugin("bridge")
            .Fail("bridge", "VERSION", CniException.Io("plugin \"bridge\" failed on VERSION"));
        var cache = new PluginVersionCache(executor);

        await Assert.ThrowsAsync<CniException>(() => cache.GetSupportedVersionsAsync(Bridge, CancellationToken.None));
        executor.Answer("bridge", "VERSION", "{\"cniVersion\":\"1.0.0\",\"supportedVersions\":[\"1.0.0\"]}");

        Assert.Equal([CniVersion.V100], await cache.GetSupportedVersionsAsync(Bridge, CancellationToken.None));
        Assert.Equal(2, executor.Calls.Count);
    }

    [Theory]
    [InlineData("{\"cniVersion\":\"0.1.0\"}", "0.1.0")]
    [InlineData("{\"cniVersion\":\"1.0.0\",\"supportedVersions\":[\"0.3.1\",\"1.0.0\"]}", "0.3.1,1.0.0")]
    public void ParseVersionInfo_ValidAnswer_ReturnsVersions(string json, string expected)
    {
        var versions = PluginVersionCache.ParseVersionInfo(System.Text.Encoding.UTF8.GetBytes(json), "plugin \"x\"");

        Assert.Equal(expected, string.Join(',', versions));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1]")]
    [InlineData("{\"supportedVersions\":[\"one\"]}")]
    [InlineData("{\"supportedVersions\":[1]}")]
    public void ParseVersionInfo_BadAnswer_ThrowsDecodeNamingPlugin(string json)
    {
        var error = Assert.Throws<CniException>(() => PluginVersionCache.ParseVersionInfo(System.Text.Encoding.UTF8.GetBytes(json), "plugin \"x\""));

        Assert.Equal(CniErrorCode.DecodeFailure, error.Code);
        Assert.StartsWith("plugin \"x\" answered VERSION", error.Message);
    }
}
