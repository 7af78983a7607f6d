using System.Globalization;
using System.IO.Compression;
using Plexus.Cni.IO;
using Plexus.Core.Config;

namespace Plexus.Core.Service;

/// <summary>
/// The backups of a rotated log, with lumberjack's options but numbered names: <c>NAME.1</c> is the newest,
/// <c>NAME.N.gz</c> when compressed. A backup's age is its modification time (when its last line was written,
/// which a rename and the compression keep), where lumberjack puts that time into the name.
/// </summary>
internal static class LogBackupStore
{
    private const string GzipSuffix = ".gz";

    /// <summary>Moves the log to <c>.1</c> (older backups shift up), then compresses and drops backups as the options say.</summary>
    public static void Rotate(string path, LogOptions options, DateTimeOffset now)
    {
        foreach (var backup in List(path).OrderByDescending(b => b.Index))
        {
            // maxBackups counts the new .1 too; 0 keeps every backup.
            if (options.MaxBackups > 0 && backup.Index >= options.MaxBackups)
            {
                File.Delete(backup.Path);
            }
            else
            {
                File.Move(backup.Path, NameOf(path, backup.Index + 1, backup.Compressed), overwrite: true);
            }
        }
        File.Move(path, NameOf(path, 1, compressed: false), overwrite: true);
        if (options.Compress)
        {
            CompressAll(path);
        }
        if (options.MaxAge > 0)
        {
            var cutoff = now.UtcDateTime - TimeSpan.FromDays(options.MaxAge);
            foreach (var backup in List(path).Where(b => File.GetLastWriteTimeUtc(b.Path) < cutoff))
            {
                File.Delete(backup.Path);
            }
        }
    }

    /// <summary>Compresses every plain backup: the new <c>.1</c>, and any a crash or a <c>compress:false</c> run left.</summary>
    private static void CompressAll(string path)
    {
        foreach (var backup in List(path).Where(b => !b.Compressed))
        {
            var gz = NameOf(path, backup.Index, compressed: true);
            // A .gz only ever gets its name complete, so one that exists makes the plain copy redundant.
            if (!File.Exists(gz))
            {
                Compress(backup.Path, gz);
            }
            File.Delete(backup.Path);
        }
    }

    private static void Compress(string plain, string gz)
    {
        AtomicFile.DeleteStrays(gz);
        var source = new FileInfo(plain);
        using var buffer = new MemoryStream();
        using (var input = source.OpenRead())
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        {
            input.CopyTo(gzip);
        }
        AtomicFile.WriteAllBytes(gz, buffer.GetBuffer().AsSpan(0, (int)buffer.Length), source.UnixFileMode);
        File.SetLastWriteTimeUtc(gz, source.LastWriteTimeUtc);
    }

    private static string NameOf(string path, int index, bool compressed) =>
        $"{path}.{index.ToString(CultureInfo.InvariantCulture)}{(compressed ? GzipSuffix : "")}";

    private static List<Backup> List(string path)
    {
        var full = Path.GetFullPath(path);
        var prefix = Path.GetFileName(full) + ".";
        var backups = new List<Backup>();
        foreach (var file in Directory.EnumerateFiles(Path.GetDirectoryName(full)!))
        {
            var name = Path.GetFileName(file);
            if (!name.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }
            var suffix = name[prefix.Length..];
            var compressed = suffix.EndsWith(GzipSuffix, StringComparison.Ordinal);
            var number = compressed ? suffix[..^GzipSuffix.Length] : suffix;
            if (number.Length > 0 && !number.AsSpan().ContainsAnyExceptInRange('0', '9') &&
                int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index > 0)
            {
                backups.Add(new Backup(file, index, compressed));
            }
        }
        return backups;
    }

    private sealed record Backup(string Path, int Index, bool Compressed);
}
