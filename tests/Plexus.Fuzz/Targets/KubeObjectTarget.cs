using System.Text.Json;
using Plexus.Daemon;
using Plexus.Kube;

namespace Plexus.Fuzz.Targets;

/// <summary>
/// An API server's answer body as Plexus reads it: a pod or a NAD as the thin plugin GETs it, and a list or a watch
/// stream as plexusd's caches decode it (the list checked, each event's object read as a pod, a NAD and a
/// status), fed in 1–7 byte reads so the readers see every buffer boundary. The documented failure is a
/// <see cref="JsonException"/>: the plugin reports an unreadable answer naming the object, plexusd restarts the watch.
/// </summary>
public sealed class KubeObjectTarget : IFuzzTarget
{
    public string Name => "kube-object";

    public void Run(byte[] input)
    {
        Expected.Only<JsonException>(() => KubeObjectReader.ReadPodDocument(input));
        Expected.Only<JsonException>(() => KubeObjectReader.ReadNadDocument(input));
        Expected.Only<JsonException>(() => JsonSerializer.DeserializeAsync(new TrickleStream(input), DaemonJsonContext.Default.ListWirePodResource).AsTask().GetAwaiter().GetResult()?.Checked("pods"));
        Expected.Only<JsonException>(() => JsonSerializer.DeserializeAsync(new TrickleStream(input), DaemonJsonContext.Default.ListWireNadResource).AsTask().GetAwaiter().GetResult()?.Checked("NADs"));
        Expected.Only<JsonException>(() =>
        {
            var events = JsonSerializer.DeserializeAsyncEnumerable(new TrickleStream(input), DaemonJsonContext.Default.WatchEventWire, topLevelValues: true);
            var enumerator = events.GetAsyncEnumerator();
            try
            {
                while (enumerator.MoveNextAsync().AsTask().GetAwaiter().GetResult())
                {
                    if (enumerator.Current is { } watchEvent)
                    {
                        Expected.Only<JsonException>(() => watchEvent.ObjectAs(DaemonJsonContext.Default.PodResource));
                        Expected.Only<JsonException>(() => watchEvent.ObjectAs(DaemonJsonContext.Default.NadResource));
                        Expected.Only<JsonException>(() => watchEvent.ObjectAs(DaemonJsonContext.Default.KubeStatus));
                    }
                }
            }
            finally
            {
                enumerator.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        });
    }

    /// <summary>A stream that hands out its bytes a few at a time, as a slow connection does.</summary>
    private sealed class TrickleStream(byte[] bytes) : MemoryStream(bytes, writable: false)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, Chunk()));

        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, Chunk())]);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, Chunk())], cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            base.ReadAsync(buffer, offset, Math.Min(count, Chunk()), cancellationToken);

        private int Chunk() => (int)(Position % 7) + 1;
    }
}
