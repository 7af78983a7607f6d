using Plexus.Cni.Invoke;

namespace Plexus.Cni.Tests.Invoke;

public sealed class PluginLocatorTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("plexus-locator-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("...")]
    [InlineData("../bridge")]
    [InlineData("/usr/lib/cni/bridge")]
    [InlineData("sub/bridge")]
    public void Find_TypeThatCouldLeaveBinDir_ThrowsInvalidConfig(string type)
    {
        var dir = Dir("a");
        Executable(dir, "bridge");

        var error = Assert.Throws<CniException>(() => PluginLocator.Find(type, [dir]));

        Assert.Equal(CniErrorCode.InvalidNetworkConfig, error.Code);
        Assert.Contains($"\"{type}\"", error.Message);
    }

    [Fact]
    public void Find_PresentInSeveralDirs_FirstDirWins()
    {
        var first = Dir("first");
        var second = Dir("second");
        Executable(second, "bridge");
        var expected = Executable(first, "bridge");

        Assert.Equal(expected, PluginLocator.Find("bridge", [first, second]));
    }

    [Fact]
    public void Find_NonExecutableFileAndDirectoryEarlier_SkipsThem()
    {
        var notExecutable = Dir("plain");
        File.WriteAllText(Path.Combine(notExecutable, "bridge"), "");
        File.SetUnixFileMode(Path.Combine(notExecutable, "bridge"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var directory = Dir("dir");
        Directory.CreateDirectory(Path.Combine(directory, "bridge"));
        var good = Dir("good");
        var expected = Executable(good, "bridge");

        Assert.Equal(expected, PluginLocator.Find("bridge", [notExecutable, directory, good]));
    }

    [Fact]
    public void Find_SymlinkToExecutable_ReturnsLinkPath()
    {
        var dir = Dir("links");
        var target = Executable(Dir("real"), "macvlan");
        var link = Path.Combine(dir, "macvlan");
        File.CreateSymbolicLink(link, target);

        Assert.Equal(link, PluginLocator.Find("macvlan", [dir]));
    }

    [Fact]
    public void Find_Missing_ThrowsNamingTypeAndEveryDir()
    {
        var a = Dir("a");
        var b = Dir("b");

        var error = Assert.Throws<CniException>(() => PluginLocator.Find("nope", [a, b]));

        Assert.Equal(CniErrorCode.IoFailure, error.Code);
        Assert.Contains("\"nope\"", error.Message);
        Assert.Contains($"[{a} {b}]", error.Message);
    }

    [Fact]
    public void Find_NoDirs_ThrowsSayingPathIsEmpty()
    {
        var error = Assert.Throws<CniException>(() => PluginLocator.Find("bridge", []));

        Assert.Contains("CNI_PATH", error.Details);
    }

    private string Dir(string name) => Directory.CreateDirectory(Path.Combine(_root, name)).FullName;

    private static string Executable(string dir, string name)
    {
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, "#!/bin/sh\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        return path;
    }
}
