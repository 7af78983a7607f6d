using System.Diagnostics;
using Plexus.NodeAgent.Install;

namespace Plexus.NodeAgent.Tests.Install;

public sealed class BinaryInstallerTests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Install_TargetIsRunning_ReplacesItWithoutTextFileBusy()
    {
        var bin = _temp.Sub("bin");
        var v1 = Stage("v1", "/bin/sleep");
        BinaryInstaller.Install(v1, bin, CancellationToken.None);
        var installed = Path.Combine(bin, "plugin");
        using var running = Process.Start(installed, ["30"]);
        try
        {
            var v2 = Stage("v2", "/bin/true");

            var written = BinaryInstaller.Install(v2, bin, CancellationToken.None);

            Assert.True(written);
            Assert.Equal(File.ReadAllBytes("/bin/true"), File.ReadAllBytes(installed));
            Assert.False(running.HasExited);
            using var fresh = Process.Start(installed);
            fresh.WaitForExit();
            Assert.Equal(0, fresh.ExitCode);
            Assert.Single(Directory.GetFiles(bin));
        }
        finally
        {
            running.Kill();
            running.WaitForExit();
        }
    }

    [Fact]
    public void Install_SameContentTwice_SecondIsNoOpAndModeIsExecutable()
    {
        var bin = _temp.Sub("bin");
        var source = Stage("v1", "/bin/true");

        Assert.True(BinaryInstaller.Install(source, bin, CancellationToken.None));
        Assert.False(BinaryInstaller.Install(source, bin, CancellationToken.None));
        Assert.Equal((UnixFileMode)0b111_101_101, File.GetUnixFileMode(Path.Combine(bin, "plugin")));
    }

    [Fact]
    public void Install_TempFileOfAKilledCopy_RemovedOthersKept()
    {
        var bin = _temp.Sub("bin");
        var source = Stage("v1", "/bin/true");
        BinaryInstaller.Install(source, bin, CancellationToken.None);
        var stray = Path.Combine(bin, Plexus.Cni.IO.AtomicFile.TempPrefix + "plugin-0123abcd");
        var unrelated = Path.Combine(bin, Plexus.Cni.IO.AtomicFile.TempPrefix + "bridge-0123abcd");
        File.WriteAllText(stray, "half a binary");
        File.WriteAllText(unrelated, "another binary's");

        Assert.False(BinaryInstaller.Install(source, bin, CancellationToken.None));

        Assert.False(File.Exists(stray));
        Assert.True(File.Exists(unrelated));
    }

    [Fact]
    public void Install_MissingSource_ThrowsAndLeavesNothing()
    {
        var bin = _temp.Sub("bin");

        Assert.Throws<FileNotFoundException>(() => BinaryInstaller.Install(Path.Combine(_temp.Path, "nope"), bin, CancellationToken.None));
        Assert.Empty(Directory.GetFileSystemEntries(bin));
    }

    private string Stage(string version, string from)
    {
        var path = Path.Combine(_temp.Sub(version), "plugin");
        File.Copy(from, path);
        return path;
    }
}
