using System.Collections.Concurrent;

namespace Plexus.KubeSim.Faults;

/// <summary>
/// Counts API requests by verb (get, list, watch, create, update, patch, delete, deletecollection)
/// and resource (plural, with "/status" for the subresource), so tests can assert how many round
/// trips a client made. Discovery and health requests are not counted.
/// </summary>
public sealed class RequestCounters
{
    private readonly ConcurrentDictionary<RequestKey, long> _counts = new();

    public void Record(string verb, string group, string resource) =>
        _counts.AddOrUpdate(new RequestKey(verb, group, resource), 1, static (_, n) => n + 1);

    /// <summary>Requests with this verb on this resource; <paramref name="group"/> null sums every group.</summary>
    public long Count(string verb, string resource, string? group = null) =>
        _counts.Where(p => p.Key.Verb == verb && p.Key.Resource == resource && (group is null || p.Key.Group == group))
            .Sum(p => p.Value);

    /// <summary>All requests on a resource, any verb.</summary>
    public long CountResource(string resource, string? group = null) =>
        _counts.Where(p => p.Key.Resource == resource && (group is null || p.Key.Group == group)).Sum(p => p.Value);

    public long Total => _counts.Values.Sum();

    public IReadOnlyDictionary<RequestKey, long> Snapshot() => new Dictionary<RequestKey, long>(_counts);

    public void Reset() => _counts.Clear();
}

/// <summary>One counter: verb, API group ("" for core) and resource ("pods", "pods/status").</summary>
public readonly record struct RequestKey(string Verb, string Group, string Resource)
{
    public override string ToString() => Group.Length == 0 ? $"{Verb} {Resource}" : $"{Verb} {Resource}.{Group}";
}
