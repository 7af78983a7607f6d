using System.IO.Compression;
using Plexus.Core.Config;
using Plexus.Core.Service;

namespace Plexus.Core.Tests.Service;

/// <summary>Rotation of <c>logFile</c> with each of lumberjack's <c>logOptions</c>.</summary>
public sealed class LogFileStoreTests : IDisposable
{
    private const int MiB = 1024 * 1024;
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);
    private readonly string dir = Directory.CreateTempSubdirectory("plexus-log-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private string Log => Path.Combine(dir, "plexus.log");

    private static LogOptions Options(int maxAge = 0, int maxBackups = 0, bool compress = false) => new(maxAge, MaxSize: 1, maxBackups, compress);

    /// <summary>A full log (1 MiB, rotated by the next line at maxSize 1) whose lines say <paramref name="tag"/>.</summary>
    private void FillLog(string tag)
    {
        var line = $"{tag}\n";
        File.WriteAllText(Log, string.Concat(Enumerable.Repeat(line, MiB / line.Length + 1)));
    }

    private static string Text(string path) => path.EndsWith(".gz", StringComparison.Ordinal)
        ? new StreamReader(new GZipStream(File.OpenRead(path), CompressionMode.Decompress)).ReadToEnd()
        : File.ReadAllText(path);

    private string[] Files() => [.. Directory.EnumerateFileSystemEntries(dir).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];

    [Fact]
    public void Append_UnderMaxSize_NoRotation()
    {
        File.WriteAllText(Log, "old\n");

        LogFileStore.Append(Log, Options(), "new", Now);

        Assert.Equal("old\nnew\n", File.ReadAllText(Log));
        Assert.Equal(["plexus.log"], Files());
    }

    [Fact]
    public void Append_NewFile_Mode0600()
    {
        LogFileStore.Append(Log, Options(), "new", Now);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Log));
    }

    [Fact]
    public void Append_OverMaxSizeUncompressed_OlderBackupsShiftUpAndNewLogKeepsMode()
    {
        File.WriteAllText(Log + ".1", "one");
        FillLog("zero");
        var mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;
        File.SetUnixFileMode(Log, mode);

        LogFileStore.Append(Log, Options(), "new", Now);

        Assert.Equal("new\n", File.ReadAllText(Log));
        Assert.StartsWith("zero\n", Text(Log + ".1"));
        Assert.Equal("one", Text(Log + ".2"));
        Assert.Equal(mode, File.GetUnixFileMode(Log));
        Assert.Equal(mode, File.GetUnixFileMode(Log + ".1"));
        Assert.Equal(["plexus.log", "plexus.log.1", "plexus.log.2"], Files());
    }

    [Fact]
    public void Append_Compress_BackupGzippedWithModeAndTimeNoPlainOrTempLeft()
    {
        FillLog("zero");
        var original = File.ReadAllText(Log);
        var mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;
        File.SetUnixFileMode(Log, mode);
        var written = Now.UtcDateTime.AddHours(-1);
        File.SetLastWriteTimeUtc(Log, written);

        LogFileStore.Append(Log, Options(compress: true), "new", Now);

        Assert.Equal(["plexus.log", "plexus.log.1.gz"], Files());
        Assert.Equal(original, Text(Log + ".1.gz"));
        Assert.True(new FileInfo(Log + ".1.gz").Length < MiB / 10);
        Assert.Equal(mode, File.GetUnixFileMode(Log + ".1.gz"));
        Assert.Equal(written, File.GetLastWriteTimeUtc(Log + ".1.gz"));
        Assert.Equal("new\n", File.ReadAllText(Log));
    }

    [Fact]
    public void Append_CompressWithLeftovers_CompressedShiftedAndPlainDuplicateDropped()
    {
        // A crash after the .gz got its name but before the plain copy was removed, and a backup from compress:false.
        File.WriteAllText(Log + ".1", "one");
        WriteGzip(Log + ".1.gz", "one");
        File.WriteAllText(Log + ".2", "two");
        FillLog("zero");

        LogFileStore.Append(Log, Options(compress: true), "new", Now);

        Assert.Equal(["plexus.log", "plexus.log.1.gz", "plexus.log.2.gz", "plexus.log.3.gz"], Files());
        Assert.StartsWith("zero\n", Text(Log + ".1.gz"));
        Assert.Equal("one", Text(Log + ".2.gz"));
        Assert.Equal("two", Text(Log + ".3.gz"));
    }

    [Fact]
    public void Append_MaxBackups2_OnlyTwoNewestKept()
    {
        File.WriteAllText(Log + ".1", "one");
        File.WriteAllText(Log + ".2", "two");
        FillLog("zero");

        LogFileStore.Append(Log, Options(maxBackups: 2), "new", Now);

        Assert.Equal(["plexus.log", "plexus.log.1", "plexus.log.2"], Files());
        Assert.StartsWith("zero\n", Text(Log + ".1"));
        Assert.Equal("one", Text(Log + ".2"));
    }

    [Fact]
    public void Append_MaxBackups0_EveryBackupKept()
    {
        for (var i = 1; i <= 7; i++)
        {
            File.WriteAllText($"{Log}.{i}", $"b{i}");
        }
        FillLog("zero");

        LogFileStore.Append(Log, Options(maxBackups: 0), "new", Now);

        Assert.Equal(9, Files().Length);
        Assert.StartsWith("zero\n", Text(Log + ".1"));
        Assert.All(Enumerable.Range(1, 7), i => Assert.Equal($"b{i}", Text($"{Log}.{i + 1}")));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Append_MaxAge3_BackupsOlderThan3DaysDeleted(bool compress)
    {
        File.WriteAllText(Log + ".1", "recent");
        File.SetLastWriteTimeUtc(Log + ".1", Now.UtcDateTime.AddDays(-2));
        File.WriteAllText(Log + ".2", "old");
        File.SetLastWriteTimeUtc(Log + ".2", Now.UtcDateTime.AddDays(-4));
        FillLog("zero");
        File.SetLastWriteTimeUtc(Log, Now.UtcDateTime);

        LogFileStore.Append(Log, Options(maxAge: 3, compress: compress), "new", Now);

        var suffix = compress ? ".gz" : "";
        Assert.Equal(["plexus.log", "plexus.log.1" + suffix, "plexus.log.2" + suffix], Files());
        Assert.Equal("recent", Text(Log + ".2" + suffix));
    }

    [Fact]
    public void Append_MaxAge0_OldBackupsKept()
    {
        File.WriteAllText(Log + ".1", "ancient");
        File.SetLastWriteTimeUtc(Log + ".1", Now.UtcDateTime.AddDays(-400));
        FillLog("zero");

        LogFileStore.Append(Log, Options(maxAge: 0), "new", Now);

        Assert.Equal("ancient", Text(Log + ".2"));
    }

    [Fact]
    public void Append_BackupsCannotShift_LineStillAppendedToLog()
    {
        File.WriteAllText(Log + ".1", "one");
        Directory.CreateDirectory(Path.Combine(Log + ".2", "blocker"));
        FillLog("zero");

        LogFileStore.Append(Log, Options(maxBackups: 5), "new", Now);

        Assert.EndsWith("zero\nnew\n", File.ReadAllText(Log));
        Assert.Equal("one", Text(Log + ".1"));
    }

    [Fact]
    public void Append_SecondLineAfterRotation_NotRotatedAgain()
    {
        FillLog("zero");

        LogFileStore.Append(Log, Options(compress: true), "first", Now);
        LogFileStore.Append(Log, Options(compress: true), "second", Now);

        Assert.Equal("first\nsecond\n", File.ReadAllText(Log));
        Assert.Equal(["plexus.log", "plexus.log.1.gz"], Files());
    }

    private static void WriteGzip(string path, string text)
    {
        using var gzip = new GZipStream(File.Create(path), CompressionLevel.Fastest);
        gzip.Write(System.Text.Encoding.UTF8.GetBytes(text));
    }
}
