using Plexus.Cni.IO;
using Plexus.Testing;

namespace Plexus.Cni.Tests.IO;

/// <summary>Writes that fail half-way (full disk, read-only file system): the old file stays whole and no temp file is left.</summary>
[Trait("Category", "Root")]
public sealed class AtomicFileFaultTests
{
    private const UnixFileMode Rw = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [SkippableTheory]
    [InlineData(1)]
    [InlineData(64 * 1024)]
    public void WriteAllBytes_DiskFull_ThrowsOldContentKeptNoTempLeft(int size)
    {
        Skip.IfNot(Environment.IsPrivilegedProcess, "needs root to mount a tmpfs");
        using var disk = Tmpfs.Mount(128);
        var path = Path.Combine(disk.Path, "cache");
        AtomicFile.WriteAllText(path, "old", Rw);
        disk.Fill();

        var error = Assert.ThrowsAny<IOException>(() => AtomicFile.WriteAllBytes(path, new byte[size], Rw));

        Assert.Contains("No space left on device", error.Message);
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Equal(["cache", "filler"], Directory.GetFiles(disk.Path).Select(Path.GetFileName).Order());
    }

    [SkippableFact]
    public void WriteAllBytes_ReadOnlyFileSystem_ThrowsOldContentKept()
    {
        Skip.IfNot(Environment.IsPrivilegedProcess, "needs root to mount a tmpfs");
        using var disk = Tmpfs.Mount(128);
        var path = Path.Combine(disk.Path, "cache");
        AtomicFile.WriteAllText(path, "old", Rw);
        disk.RemountReadOnly();

        var error = Assert.ThrowsAny<IOException>(() => AtomicFile.WriteAllText(path, "new", Rw));

        Assert.Contains("Read-only file system", error.Message);
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Equal(["cache"], Directory.GetFiles(disk.Path).Select(Path.GetFileName));
    }
}
