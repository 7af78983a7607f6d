using Plexus.Cni;
using Plexus.Cni.IO;

namespace Plexus.Core.Cache;

/// <summary>
/// The delegate cache on disk: one file per container in <c>cniDir</c> (files 0600, dir 0700),
/// written atomically so a crash never leaves half a cache for DEL to trip on.
/// </summary>
internal sealed class DelegateCacheStore(string cniDir)
{
    private const UnixFileMode DirMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public string PathOf(string containerId)
    {
        if (!CniNames.IsValidId(containerId))
        {
            throw CniException.InvalidEnvironment(
                $"invalid container id \"{containerId}\": it names the delegate cache file and must match ^[a-zA-Z0-9][a-zA-Z0-9_.\\-]*$");
        }
        return Path.Combine(cniDir, containerId);
    }

    public void Save(DelegateCache cache, CancellationToken cancellationToken) =>
        Write(cache.ContainerId, DelegateCacheCodec.Encode(cache), cancellationToken);

    /// <summary>Rewrites the cache of a pod Multus added in Multus's own format (a hot-plug or an unplug edited it).</summary>
    public void SaveMultus(string containerId, MultusDelegateCache cache, CancellationToken cancellationToken) =>
        Write(containerId, cache.Encode(), cancellationToken);

    private void Write(string containerId, byte[] content, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var path = PathOf(containerId);
        try
        {
            AtomicFile.EnsureDirectory(cniDir, DirMode);
            AtomicFile.WriteAllBytes(path, content, FileMode, syncDirectory: false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CniException.Io($"cannot save the delegate cache {path}: {e.Message}", "check that cniDir is writable by the runtime", e);
        }
    }

    public DelegateCacheLoad Load(string containerId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var path = PathOf(containerId);
        if (IsResultCacheDir(path))
        {
            return DelegateCacheLoad.Missing;
        }
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return DelegateCacheLoad.Missing;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return DelegateCacheLoad.Unreadable($"the delegate cache {path} could not be read: {e.Message}");
        }
        if (MultusDelegateCache.IsMultusFormat(bytes))
        {
            try
            {
                return DelegateCacheLoad.FromMultus(MultusDelegateCache.Decode(bytes, path), path);
            }
            catch (CniException e)
            {
                return DelegateCacheLoad.Corrupt($"{path} is not a readable Multus delegate cache: {e.Message}");
            }
        }
        try
        {
            var cache = DelegateCacheCodec.Decode(bytes, path);
            return cache is { Kind: DelegateCache.CurrentKind } && cache.ContainerId == containerId
                ? new DelegateCacheLoad(cache, null)
                : DelegateCacheLoad.Corrupt($"{path} is not a plexus delegate cache for container {containerId}");
        }
        catch (CniException e)
        {
            return DelegateCacheLoad.Corrupt($"{path} is not a readable delegate cache: {e.Message}");
        }
    }

    // A directory is never a cache. A container named "results" (a valid id) has libcni's result cache directory
    // at its cache path: its DEL then finds no cache instead of failing on every retry.
    private static bool IsResultCacheDir(string path) => Directory.Exists(path);

    public void Delete(string containerId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var path = PathOf(containerId);
        if (IsResultCacheDir(path))
        {
            return;
        }
        try
        {
            File.Delete(path);
            AtomicFile.DeleteStrays(path);
        }
        catch (DirectoryNotFoundException)
        {
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CniException.Io($"cannot remove the delegate cache {path}: {e.Message}", inner: e);
        }
    }
}

/// <summary>
/// A cache read: Plexus's cache, or Multus's (a node switched in place from Multus, see <see cref="MultusDelegateCache"/>),
/// or it is missing, or it is unusable and <see cref="Problem"/> says why: its content is not a cache, or
/// (<see cref="IsUnreadable"/>) the file could not be read at all.
/// </summary>
internal sealed record DelegateCacheLoad(DelegateCache? Cache, string? Problem)
{
    public static DelegateCacheLoad Missing { get; } = new(null, null);

    public static DelegateCacheLoad Corrupt(string problem) => new(null, problem);

    public static DelegateCacheLoad Unreadable(string problem) => new(null, problem) { IsUnreadable = true };

    /// <summary>The file is there but reading it failed (permissions, I/O): nothing is known of its content.</summary>
    public bool IsUnreadable { get; private init; }

    public static DelegateCacheLoad FromMultus(MultusDelegateCache multus, string path) => new(null, null) { Multus = multus, Path = path };

    public MultusDelegateCache? Multus { get; private init; }

    /// <summary>The file Multus's cache was read from (for the log).</summary>
    public string? Path { get; private init; }

    public bool IsMissing => Cache is null && Problem is null && Multus is null;
}
