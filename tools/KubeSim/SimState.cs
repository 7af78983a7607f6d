using Plexus.KubeSim.Api;
using Plexus.KubeSim.Discovery;
using Plexus.KubeSim.Faults;
using Plexus.KubeSim.Hosting;
using Plexus.KubeSim.Storage;

namespace Plexus.KubeSim;

/// <summary>
/// Everything that outlives one listening socket (connection refusal stops and restarts the
/// HTTP host): objects, served types, counters, faults, credentials and the CA.
/// </summary>
internal sealed class SimState : IDisposable
{
    public SimState(KubeSimOptions options)
    {
        Options = options;
        Store = new ObjectStore(options.HistoryLimit);
        Tokens = new TokenAuthenticator(options.Token, options.TokenFile);
        Authority = CertificateAuthority.Create();
        Snapshots = new ListSnapshots(options.Clock, options.ContinueTtl, options.ContinueSnapshotLimit);
        Store.Committed += OnCommitted;
    }

    public KubeSimOptions Options { get; }
    public ResourceCatalog Catalog { get; } = new();
    public ObjectStore Store { get; }
    public RequestCounters Counters { get; } = new();
    public FaultSwitches Faults { get; } = new();
    public TokenAuthenticator Tokens { get; }
    public ServiceAccountTokens ServiceAccountTokens { get; } = new();
    public CertificateAuthority Authority { get; }
    public ListSnapshots Snapshots { get; }
    public TimeProvider Clock => Options.Clock;

    /// <summary>Raised (under the store lock) after every change; persistence listens.</summary>
    public event Action? Changed;

    // Side effects the API server's controllers would have: serving CRDs, and garbage-collecting
    // what a deleted namespace or CRD contained (immediately: there are no finalizers to wait for).
    private void OnCommitted(WatchEvent change)
    {
        if (change.StorageKey == "apiextensions.k8s.io/customresourcedefinitions")
        {
            if (change.Type == WatchEvent.Deleted)
            {
                var gone = Catalog.All.FirstOrDefault(t => $"{t.Plural}.{t.Group}" == change.Object.Name && t.Group.Length > 0);
                Catalog.RemoveCrd(change.Object.Name);
                if (gone is not null) Store.DeleteWhere(gone.StorageKey, _ => true);
            }
            else
            {
                Catalog.ApplyCrd(change.Object.Node);
            }
        }
        else if (change.StorageKey == "/namespaces" && change.Type == WatchEvent.Deleted)
        {
            foreach (var key in Catalog.All.Where(t => t.Namespaced).Select(t => t.StorageKey).Distinct().ToList())
            {
                Store.DeleteWhere(key, o => o.Namespace == change.Object.Name);
            }
        }
        Changed?.Invoke();
    }

    /// <summary>A stored core/v1 object by kind ("" namespace for cluster-scoped kinds), or null.</summary>
    public System.Text.Json.Nodes.JsonObject? FindCore(string kind, string ns, string name) =>
        Catalog.FindByKind("v1", kind) is { } type ? Store.Get(type.StorageKey, type.Namespaced ? ns : "", name)?.Node : null;

    public void Dispose() => Authority.Dispose();
}
