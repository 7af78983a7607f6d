using System.Collections.Immutable;
using System.Text.Json.Nodes;

namespace Plexus.KubeSim.Discovery;

/// <summary>
/// What the simulator serves: the built-ins plus every version of every CRD that exists.
/// Readers see an immutable snapshot; CRD changes swap it whole.
/// </summary>
public sealed class ResourceCatalog
{
    private ImmutableDictionary<string, ImmutableArray<ResourceType>> _crdTypes =
        ImmutableDictionary<string, ImmutableArray<ResourceType>>.Empty;
    private ImmutableArray<ResourceType> _all = [.. BuiltinResources.All];

    /// <summary>Raised after CRD types change (discovery documents depend on it).</summary>
    public event Action? Changed;

    public ImmutableArray<ResourceType> All => _all;

    public ResourceType? Find(string group, string version, string plural)
    {
        foreach (var type in _all)
        {
            if (type.Plural == plural && type.Version == version && type.Group == group)
            {
                return type;
            }
        }
        return null;
    }

    public ResourceType? FindByKind(string apiVersion, string kind)
    {
        foreach (var type in _all)
        {
            if (type.Kind == kind && type.GroupVersion == apiVersion)
            {
                return type;
            }
        }
        return null;
    }

    /// <summary>Groups in discovery order (built-ins first); the first version listed is preferred.</summary>
    public IReadOnlyList<(string Group, IReadOnlyList<string> Versions)> Groups()
    {
        var order = new List<(string, IReadOnlyList<string>)>();
        foreach (var group in _all.Select(t => t.Group).Distinct())
        {
            order.Add((group, _all.Where(t => t.Group == group).Select(t => t.Version).Distinct().ToList()));
        }
        return order;
    }

    public IEnumerable<ResourceType> ResourcesIn(string group, string version) =>
        _all.Where(t => t.Group == group && t.Version == version);

    /// <summary>Serves (or re-serves) the versions of a stored CRD.</summary>
    public void ApplyCrd(JsonObject crd)
    {
        var name = crd["metadata"]?["name"]?.GetValue<string>() ?? "";
        Swap(d => d.SetItem(name, [.. CrdTypes.From(crd)]));
    }

    public void RemoveCrd(string name) => Swap(d => d.Remove(name));

    private void Swap(Func<ImmutableDictionary<string, ImmutableArray<ResourceType>>,
        ImmutableDictionary<string, ImmutableArray<ResourceType>>> change)
    {
        lock (this)
        {
            _crdTypes = change(_crdTypes);
            _all = [.. BuiltinResources.All, .. _crdTypes.OrderBy(p => p.Key, StringComparer.Ordinal).SelectMany(p => p.Value)];
        }
        Changed?.Invoke();
    }
}
