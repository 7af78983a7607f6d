using System.Diagnostics;
using Plexus.Cni.ConfFiles;
using Plexus.Cni.IO;

namespace Plexus.Cni.Tests.ConfFiles;

public sealed class ConfDirStoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("plexus-confdir-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void List_MixedEntries_ReadsCandidatesInOrderAndExplainsTheRest()
    {
        File.WriteAllText(Path.Combine(_dir, "20-b.conflist"), "B");
        File.WriteAllText(Path.Combine(_dir, "10-a.conf"), "A");
        File.WriteAllText(Path.Combine(_dir, "calico-kubeconfig"), "ignored");
        File.WriteAllText(Path.Combine(_dir, AtomicFile.TempPrefix + "00-plexus.conflist-1234"), "partial");
        Directory.CreateDirectory(Path.Combine(_dir, "15-dir.conf"));
        File.CreateSymbolicLink(Path.Combine(_dir, "30-link.json"), Path.Combine(_dir, "10-a.conf"));
        File.CreateSymbolicLink(Path.Combine(_dir, "40-dangling.conf"), Path.Combine(_dir, "missing"));
        MakeFifo(Path.Combine(_dir, "50-fifo.conf"));

        var files = ConfDirStore.List(_dir, CancellationToken.None);

        Assert.Equal(["10-a.conf", "15-dir.conf", "20-b.conflist", "30-link.json", "40-dangling.conf", "50-fifo.conf"], files.Select(f => f.Name));
        Assert.Equal("A", Text(files[0]));
        Assert.Contains("directory", files[1].Unreadable);
        Assert.Equal("B", Text(files[2]));
        Assert.Equal("A", Text(files[3]));
        Assert.Contains("cannot open", files[4].Unreadable);
        Assert.Contains("FIFO", files[5].Unreadable);
        Assert.Null(files[5].Content);
    }

    [Fact]
    public void List_MissingDir_IsEmpty() =>
        Assert.Empty(ConfDirStore.List(Path.Combine(_dir, "nope"), CancellationToken.None));

    [Fact]
    public void Read_EmptyFile_HasEmptyContent()
    {
        var path = Path.Combine(_dir, "a.conf");
        File.WriteAllBytes(path, []);

        var file = ConfDirStore.Read(path);

        Assert.NotNull(file.Content);
        Assert.Empty(file.Content);
        Assert.Null(file.Unreadable);
    }

    private static string Text(ConfFile f) => System.Text.Encoding.UTF8.GetString(f.Content ?? throw new Xunit.Sdk.XunitException(f.Name + ": " + f.Unreadable));

    private static void MakeFifo(string path)
    {
        using var p = Process.Start("mkfifo", [path]);
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
    }
}
