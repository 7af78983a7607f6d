using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Plexus.KubeSim.Storage;

/// <summary>
/// One watcher's view of the store: events of one resource (optionally one namespace) that
/// pass its selectors, translated the way the API server does when an object enters or leaves
/// the selection.
/// </summary>
public sealed class WatchSubscription : IDisposable
{
    // Not SingleReader: that variant cannot count pending events, which bookmarks need.
    private readonly Channel<WatchEvent> _events = Channel.CreateUnbounded<WatchEvent>();
    private readonly CancellationTokenSource _dropped = new();
    private readonly Action<WatchSubscription> _unsubscribe;

    internal WatchSubscription(string storageKey, string? ns, Func<JsonObject, bool> filter, Action<WatchSubscription> unsubscribe)
    {
        StorageKey = storageKey;
        Namespace = ns;
        Filter = filter;
        _unsubscribe = unsubscribe;
    }

    public string StorageKey { get; }
    public string? Namespace { get; }
    public Func<JsonObject, bool> Filter { get; }
    public ChannelReader<WatchEvent> Events => _events.Reader;

    /// <summary>Cancelled when a fault switch drops the stream.</summary>
    public CancellationToken Dropped => _dropped.Token;

    public void Drop() => _dropped.Cancel();

    internal bool HasPending => _events.Reader.Count > 0;

    internal void Offer(WatchEvent change)
    {
        if (change.StorageKey != StorageKey || (Namespace is not null && change.Object.Namespace != Namespace))
        {
            return;
        }
        var now = Filter(change.Object.Node);
        var before = change.Previous is not null && Filter(change.Previous.Node);
        var type = change.Type switch
        {
            WatchEvent.Deleted => now || before ? WatchEvent.Deleted : null,
            _ when now && before => WatchEvent.Modified,
            _ when now => WatchEvent.Added,
            _ when before => WatchEvent.Deleted,
            _ => null,
        };
        if (type is not null)
        {
            _events.Writer.TryWrite(change with { Type = type });
        }
    }

    internal void OfferInitial(StoredObject obj) =>
        _events.Writer.TryWrite(new WatchEvent(WatchEvent.Added, StorageKey, obj, null));

    public void Dispose()
    {
        _unsubscribe(this);
        _events.Writer.TryComplete();
        _dropped.Dispose();
    }
}
