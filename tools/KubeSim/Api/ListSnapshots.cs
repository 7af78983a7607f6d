using System.Security.Cryptography;
using Plexus.KubeSim.Storage;

namespace Plexus.KubeSim.Api;

/// <summary>
/// The rest of each paged list, kept at the first page's resourceVersion so continue pages show that
/// moment (the API server reads them from etcd at that revision). Bounded like etcd's compaction: a
/// snapshot lives <c>lifetime</c> and at most <c>capacity</c> are kept, the oldest going first.
/// </summary>
internal sealed class ListSnapshots(TimeProvider clock, TimeSpan lifetime, int capacity)
{
    private readonly Lock _gate = new();
    private readonly OrderedDictionary<string, ListSnapshot> _kept = new(StringComparer.Ordinal);

    /// <summary>Keeps <paramref name="rest"/> and returns the snapshot's name (random, so no name survives a restart).</summary>
    public string Keep(string scope, IReadOnlyList<StoredObject> rest, long revision)
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        lock (_gate)
        {
            DropExpired();
            while (_kept.Count >= Math.Max(1, capacity))
            {
                _kept.RemoveAt(0);
            }
            _kept.Add(id, new ListSnapshot(scope, rest, revision, clock.GetUtcNow() + lifetime));
        }
        return id;
    }

    /// <summary>The snapshot named <paramref name="id"/> if it is still kept and belongs to the list <paramref name="scope"/>.</summary>
    public ListSnapshot? Find(string id, string scope)
    {
        lock (_gate)
        {
            DropExpired();
            return _kept.TryGetValue(id, out var snapshot) && snapshot.Scope == scope ? snapshot : null;
        }
    }

    public void Drop(string id)
    {
        lock (_gate)
        {
            _kept.Remove(id);
        }
    }

    // Every snapshot lives equally long, so insertion order is expiry order.
    private void DropExpired()
    {
        var now = clock.GetUtcNow();
        while (_kept.Count > 0 && _kept.GetAt(0).Value.ExpiresAt <= now)
        {
            _kept.RemoveAt(0);
        }
    }
}

internal sealed record ListSnapshot(string Scope, IReadOnlyList<StoredObject> Items, long Revision, DateTimeOffset ExpiresAt);
