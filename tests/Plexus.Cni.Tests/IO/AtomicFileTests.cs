using Plexus.Cni.IO;

namespace Plexus.Cni.Tests.IO;

public sealed class AtomicFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("plexus-atomic-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void WriteAllText_NewFile_WritesContentWithExactModeAndNoTempLeft()
    {
        var path = Path.Combine(_dir, "a.conf");

        AtomicFile.WriteAllText(path, "{\"a\":1}", UnixFileMode.UserRead | UnixFileMode.UserWrite);

        Assert.Equal("{\"a\":1}", File.ReadAllText(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Single(Directory.GetFiles(_dir));
    }

    [Fact]
    public void WriteAllText_ExistingFile_ReplacesContentAndMode()
    {
        var path = Path.Combine(_dir, "a.conf");
        File.WriteAllText(path, "old content that is longer");

        AtomicFile.WriteAllText(path, "new", UnixFileMode.UserRead);

        Assert.Equal("new", File.ReadAllText(path));
        Assert.Equal(UnixFileMode.UserRead, File.GetUnixFileMode(path));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void WriteAllBytes_EitherDirectorySync_SameAtomicReplacement(bool syncDirectory)
    {
        var path = Path.Combine(_dir, "c1");
        File.WriteAllText(path, "old");

        AtomicFile.WriteAllBytes(path, "{\"new\":true}"u8, UnixFileMode.UserRead | UnixFileMode.UserWrite, syncDirectory);

        Assert.Equal("{\"new\":true}", File.ReadAllText(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal([path], Directory.GetFiles(_dir));
    }

    [Fact]
    public void WriteAllText_MissingDirectory_ThrowsAndLeavesNothing()
    {
        var path = Path.Combine(_dir, "missing", "a.conf");

        Assert.Throws<DirectoryNotFoundException>(() => AtomicFile.WriteAllText(path, "x", UnixFileMode.UserRead));
        Assert.Empty(Directory.GetFileSystemEntries(_dir));
    }
}
