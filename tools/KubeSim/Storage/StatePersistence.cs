using System.Text.Json.Nodes;
using Plexus.Cni.IO;

namespace Plexus.KubeSim.Storage;

/// <summary>
/// Optional persistence: the whole store as one JSON file in the state dir, written atomically
/// a moment after changes (and on shutdown), loaded at start. A resumed watch from before a
/// restart gets 410, as after an etcd compaction.
/// </summary>
internal sealed class StatePersistence : IAsyncDisposable
{
    private const string FileName = "objects.json";
    private readonly ObjectStore _store;
    private readonly string _path;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _dirty;

    public StatePersistence(ObjectStore store, string dir)
    {
        _store = store;
        AtomicFile.EnsureDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        _path = Path.Combine(dir, FileName);
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Loads a saved store, if there is one.</summary>
    public static void Load(ObjectStore store, string dir)
    {
        var path = Path.Combine(dir, FileName);
        if (!File.Exists(path)) return;
        var saved = JsonNode.Parse(File.ReadAllBytes(path))
            ?? throw new InvalidDataException($"kube-sim state file {path} is empty; delete it to start fresh");
        var objects = (saved["objects"] as JsonArray ?? [])
            .Select(o => (ObjectLifecycleText(o?["key"]), (JsonObject)o!["object"]!.DeepClone()))
            // CRDs first, so their resources are known when their objects load.
            .OrderBy(p => p.Item1 == "apiextensions.k8s.io/customresourcedefinitions" ? 0 : 1)
            .ToList();
        store.Restore(saved["resourceVersion"]?.GetValue<long>() ?? 0, objects);
    }

    public void MarkDirty() => Interlocked.Exchange(ref _dirty, 1);

    private async Task LoopAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                SaveIfDirty();
            }
        }
        catch (OperationCanceledException)
        {
            // Shutting down; DisposeAsync saves once more.
        }
    }

    private void SaveIfDirty()
    {
        if (Interlocked.Exchange(ref _dirty, 0) == 0) return;
        var (revision, objects) = _store.Snapshot();
        var saved = new JsonObject
        {
            ["resourceVersion"] = revision,
            ["objects"] = new JsonArray([.. objects.Select(o => (JsonNode)new JsonObject
            {
                ["key"] = o.StorageKey,
                ["object"] = o.Object.CloneNode(),
            })]),
        };
        AtomicFile.WriteAllText(_path, saved.ToJsonString(), UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    private static string ObjectLifecycleText(JsonNode? node) => Api.ObjectLifecycle.Text(node);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        SaveIfDirty();
        _stop.Dispose();
    }
}
