using Plexus.Cni.Invoke;

namespace Plexus.Cni.Tests.Invoke;

/// <summary>
/// Names that reach file paths (result cache, plugin lookup) from the runtime's env, the daemon's
/// JSON body or a NAD: traversal, NUL, control characters and very long values end in a CNI error
/// and never in a path outside the directory or another exception.
/// </summary>
public sealed class HostileNameTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("plexus-hostile-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>A bad network name is the config's fault (7); a bad container id or interface name the runtime's (4).</summary>
    public static TheoryData<string, string, string, int, string> CacheNames => new()
    {
        { "net", "c1", "eth\0", CniErrorCode.InvalidEnvironment, "must not contain control characters" },
        { "net", "c1", "\0", CniErrorCode.InvalidEnvironment, "must not contain control characters" },
        { "net", "c1", "eth0\n", CniErrorCode.InvalidEnvironment, "must not contain '/', ':' or whitespace" },
        { "net", "c1", "eth\u001b[31m", CniErrorCode.InvalidEnvironment, "must not contain control characters" },
        { "net", "c1\0", "eth0", CniErrorCode.InvalidEnvironment, "invalid container id" },
        { "net\0", "c1", "eth0", CniErrorCode.InvalidNetworkConfig, "invalid network name" },
        { "net", "../" + new string('a', 10), "eth0", CniErrorCode.InvalidEnvironment, "invalid container id \"../aaaaaaaaaa\"" },
        { "net", "c1", new string('e', 4096), CniErrorCode.InvalidEnvironment, "is too long" },
        { "/etc", "c1", "eth0", CniErrorCode.InvalidNetworkConfig, "invalid network name \"/etc\"" },
        { "net", "c1", "..", CniErrorCode.InvalidEnvironment, "interface name \"..\" must not be . or .." },
    };

    [Theory]
    [MemberData(nameof(CacheNames))]
    public void PathFor_HostileName_CniErrorAndNothingWritten(string network, string containerId, string ifName, int code, string message)
    {
        var cache = new ResultCache(_root);

        var error = Assert.Throws<CniException>(() => cache.PathFor(network, containerId, ifName));

        Assert.Equal(code, error.Code);
        Assert.Contains(message, error.Message);
        Assert.Empty(Directory.GetFileSystemEntries(_root));
    }

    [Fact]
    public void PathFor_VeryLongValidId_StaysInsideResultsDir()
    {
        var cache = new ResultCache(_root);

        var path = cache.PathFor("net", new string('a', 4096), "eth0");

        Assert.Equal(cache.ResultsDir, Path.GetDirectoryName(path));
    }

    [Theory]
    [InlineData("bridge\0")]
    [InlineData("\0")]
    [InlineData("..\0/bridge")]
    public void Find_TypeWithNul_CniError(string type)
    {
        Directory.CreateDirectory(Path.Combine(_root, "bin"));

        var error = Assert.Throws<CniException>(() => PluginLocator.Find(type, [Path.Combine(_root, "bin")]));

        Assert.Contains(error.Code, new[] { CniErrorCode.InvalidNetworkConfig, CniErrorCode.IoFailure });
    }

    [Fact]
    public void Find_VeryLongType_NotFoundError()
    {
        var error = Assert.Throws<CniException>(() => PluginLocator.Find(new string('b', 5000), [_root]));

        Assert.Equal(CniErrorCode.IoFailure, error.Code);
    }
}
