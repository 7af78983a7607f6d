using Plexus.Cni.IO;

namespace Plexus.Cni.Tests.IO;

/// <summary>Temp files a killed writer leaves behind are removed with their target, and only theirs.</summary>
public sealed class AtomicFileStrayTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("plexus-strays-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void DeleteStrays_KilledWritersOfTarget_RemovesOnlyThoseTempFiles()
    {
        var target = Path.Combine(_dir, "cbr0-c1-eth0");
        string[] strays = [AtomicFile.TempPrefix + "cbr0-c1-eth0-0123abcd", AtomicFile.TempPrefix + "cbr0-c1-eth0-ffffffff"];
        string[] others =
        [
            "cbr0-c1-eth0",
            AtomicFile.TempPrefix + "cbr0-c1-eth0-extra-0123abcd",
            AtomicFile.TempPrefix + "cbr0-c1-eth0-0123ABCD",
            AtomicFile.TempPrefix + "cbr0-c1-eth0-0123abc",
            AtomicFile.TempPrefix + "cbr0-c1-eth01-0123abcd",
        ];
        foreach (var name in strays.Concat(others))
        {
            File.WriteAllText(Path.Combine(_dir, name), "x");
        }

        AtomicFile.DeleteStrays(target);

        Assert.Equal(others.Order(StringComparer.Ordinal), Directory.GetFiles(_dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void TempFiles_EveryTargetsTempFilesAndNothingElse()
    {
        string[] temps = [AtomicFile.TempPrefix + "00-plexus.conflist-0123abcd", AtomicFile.TempPrefix + "a-b-ffffffff"];
        string[] others =
        [
            "00-plexus.conflist",
            AtomicFile.TempPrefix + "00-plexus.conflist",
            AtomicFile.TempPrefix + "-0123abcd",
            AtomicFile.TempPrefix + "x-0123abcg",
            AtomicFile.TempPrefix + "x_0123abcd",
            "plexus-tmp-x-0123abcd",
        ];
        foreach (var name in temps.Concat(others))
        {
            File.WriteAllText(Path.Combine(_dir, name), "x");
        }

        var found = AtomicFile.TempFiles(_dir);

        Assert.Equal(temps.Order(StringComparer.Ordinal), found.Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Empty(AtomicFile.TempFiles(Path.Combine(_dir, "missing")));
    }

    [Fact]
    public void DeleteStrays_MissingDirectory_DoesNothing()
    {
        AtomicFile.DeleteStrays(Path.Combine(_dir, "missing", "file"));

        Assert.Empty(Directory.GetFileSystemEntries(_dir));
    }
}
