using System.Runtime.ExceptionServices;
using System.Text;
using System.Text.Json.Nodes;
using Plexus.Cni.Config;
using Plexus.Cni.IO;
using Plexus.Cni.Json;
using Plexus.Cni.Results;

namespace Plexus.Cni.Invoke;

/// <summary>
/// libcni's on-disk result cache, file for file: <c>&lt;cacheDir&gt;/results/&lt;net&gt;-&lt;containerID&gt;-&lt;ifname&gt;</c>
/// holding <c>{"kind":"cniCacheV1",…}</c>, so tools that read libcni's cache read Plexus's too.
/// Directories are 0700 and files 0600 (results hold addresses of other tenants' pods).
/// </summary>
/// <param name="backgroundOnThreadPool">Where a write that overlaps the next delegate runs (see <see cref="BackgroundWork"/>).</param>
public sealed class ResultCache(string cacheDir, bool backgroundOnThreadPool = false)
{
    public const string Kind = "cniCacheV1";
    private const UnixFileMode DirMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly List<Task> _pending = [];
    private volatile bool _directoryReady;

    public string ResultsDir { get; } = Path.Combine(Path.GetFullPath(cacheDir), "results");

    /// <summary>The cache file of one attachment. Names that could leave the results dir are rejected (code 4/7).</summary>
    public string PathFor(string networkName, string containerId, string ifName)
    {
        if (!CniNames.IsValidId(networkName))
        {
            throw CniException.InvalidConfig($"invalid network name \"{networkName}\": must match ^[a-zA-Z0-9][a-zA-Z0-9_.\\-]*$");
        }
        if (!CniNames.IsValidId(containerId))
        {
            throw CniException.InvalidEnvironment($"invalid container id \"{containerId}\": must match ^[a-zA-Z0-9][a-zA-Z0-9_.\\-]*$");
        }
        if (CniNames.IfNameProblem(ifName) is { } problem)
        {
            throw CniException.InvalidEnvironment(problem);
        }
        var path = Path.GetFullPath(Path.Combine(ResultsDir, $"{networkName}-{containerId}-{ifName}"));
        // Defence in depth: the rules above already exclude '/', but the file must stay inside the dir.
        return Path.GetDirectoryName(path) == ResultsDir
            ? path
            : throw CniException.InvalidEnvironment($"cache file for network \"{networkName}\" would leave {ResultsDir}");
    }

    /// <summary>Writes the attachment's entry atomically (temp file, fsync, rename).</summary>
    /// <param name="inBackground">
    /// Write while the caller goes on (to the next delegate): the fsync waits for the disk,
    /// 0.3–0.7 ms here, several ms when other processes write. <see cref="Flush"/> waits for it and reports its failure;
    /// every other use of this cache (load, delete, list) waits for it first.
    /// </param>
    public void Save(NetworkConfigList list, RuntimeConf runtime, CniResult result, CancellationToken cancellationToken, bool inBackground = false)
    {
        ArgumentNullException.ThrowIfNull(list);
        ArgumentNullException.ThrowIfNull(runtime);
        ArgumentNullException.ThrowIfNull(result);
        cancellationToken.ThrowIfCancellationRequested();
        var path = PathFor(list.Name, runtime.ContainerId, runtime.IfName);
        var entry = new JsonObject
        {
            ["kind"] = Kind,
            ["containerId"] = runtime.ContainerId,
            ["config"] = Convert.ToBase64String(list.ToBytes()),
            ["ifName"] = runtime.IfName,
            ["networkName"] = list.Name,
        };
        if (!string.IsNullOrEmpty(runtime.NetnsPath))
        {
            entry["netns"] = runtime.NetnsPath;
        }
        if (runtime.Args.Pairs.Count > 0)
        {
            entry["cniArgs"] = new JsonArray([.. runtime.Args.Pairs.Select(p => (JsonNode)new JsonArray(p.Key, p.Value))]);
        }
        if (runtime.CapabilityArgs.Count > 0)
        {
            entry["capabilityArgs"] = new JsonObject(runtime.CapabilityArgs.Select(a => KeyValuePair.Create(a.Key, a.Value?.DeepClone())));
        }
        entry["result"] = result.ToJson();
        var content = CniJson.ToBytes(entry);
        if (inBackground)
        {
            _pending.Add(BackgroundWork.Start(() => Write(list.Name, path, content), backgroundOnThreadPool, "plexus-cache"));
        }
        else
        {
            Write(list.Name, path, content);
        }
    }

    /// <summary>Waits for the entries written in the background; the first failure is thrown (an I/O error, code 5).</summary>
    public void Flush() => Settle()?.Throw();

    private void Write(string networkName, string path, byte[] content)
    {
        try
        {
            // An existing cache dir (e.g. /var/lib/cni) keeps its mode; only the results dir is ours. Once per cache:
            // an ADD writes one entry per delegate, and two writers racing here do the same harmless thing.
            if (!_directoryReady)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(ResultsDir)!, DirMode);
                AtomicFile.EnsureDirectory(ResultsDir, DirMode);
                _directoryReady = true;
            }
            AtomicFile.WriteAllBytes(path, content, FileMode, syncDirectory: false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw CniException.Io($"cannot write the result cache of network \"{networkName}\" to {path}: {ex.Message}", "check that the cache dir is writable", ex);
        }
    }

    // Joins the background writes, so a load or delete never races a rename still to come; returns the first failure.
    // Loads, deletes and listings ignore it: within an ADD they only run when it is rolled back, which reports its own error.
    private ExceptionDispatchInfo? Settle()
    {
        ExceptionDispatchInfo? first = null;
        foreach (var write in _pending)
        {
            try
            {
                write.Wait();
            }
            catch (AggregateException e)
            {
                first ??= ExceptionDispatchInfo.Capture(e.InnerException ?? e);
            }
        }
        _pending.Clear();
        return first;
    }

    /// <summary>The cached result in <paramref name="version"/>, or null when the attachment has no entry.</summary>
    public CniResult? TryLoad(string networkName, RuntimeConf runtime, CniVersion version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        cancellationToken.ThrowIfCancellationRequested();
        Settle();
        var path = PathFor(networkName, runtime.ContainerId, runtime.IfName);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw CniException.Io($"cannot read the result cache of network \"{networkName}\" at {path}: {ex.Message}", inner: ex);
        }
        var entry = ResultCacheEntry.TryParse(CniJson.ParseObject(bytes, $"result cache {path}"))
            ?? throw CniException.Decode($"result cache {path} is not a {Kind} entry", Encoding.UTF8.GetString(bytes));
        return entry.Result is { } result ? CniResult.Parse(result, version).ConvertTo(version) : null;
    }

    /// <summary>Every readable entry (libcni's or Plexus's); unreadable files and temp files are skipped.</summary>
    public IReadOnlyList<ResultCacheEntry> List(CancellationToken cancellationToken)
    {
        Settle();
        if (!Directory.Exists(ResultsDir))
        {
            return [];
        }
        var entries = new List<ResultCacheEntry>();
        foreach (var path in Directory.EnumerateFiles(ResultsDir).Order(StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (Path.GetFileName(path).StartsWith(AtomicFile.TempPrefix, StringComparison.Ordinal))
            {
                continue;
            }
            try
            {
                if (ResultCacheEntry.TryParse(CniJson.ParseObject(File.ReadAllBytes(path), path)) is { } entry)
                {
                    entries.Add(entry with { Path = path });
                }
            }
            catch (Exception ex) when (ex is CniException or IOException or UnauthorizedAccessException)
            {
                // A half-readable cache must not stop GC of the rest.
            }
        }
        return entries;
    }

    /// <summary>Removes the attachment's entry; a missing entry is fine (DEL is idempotent).</summary>
    public void Delete(string networkName, RuntimeConf runtime, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        cancellationToken.ThrowIfCancellationRequested();
        Settle();
        DeleteFile(PathFor(networkName, runtime.ContainerId, runtime.IfName), networkName);
    }

    /// <summary>
    /// Removes the file <paramref name="entry"/> was listed from (one unlink), whatever its name, and temp files a killed
    /// write to it left; no other entry, even one its identity would name.
    /// </summary>
    public void DeleteListed(ResultCacheEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        cancellationToken.ThrowIfCancellationRequested();
        Settle();
        DeleteFile(entry.Path ?? throw new ArgumentException("the entry was not listed from a result cache", nameof(entry)), entry.NetworkName);
    }

    private static void DeleteFile(string path, string networkName)
    {
        try
        {
            File.Delete(path);
            AtomicFile.DeleteStrays(path);
        }
        catch (DirectoryNotFoundException)
        {
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw CniException.Io($"cannot remove the result cache of network \"{networkName}\" at {path}: {ex.Message}", inner: ex);
        }
    }
}
