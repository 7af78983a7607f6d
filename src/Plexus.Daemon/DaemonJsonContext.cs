using System.Text.Json.Serialization;
using Plexus.Daemon.Caches;

namespace Plexus.Daemon;

/// <summary>The one serializer context of Plexus.Daemon: the cache wire records.</summary>
[JsonSerializable(typeof(ListWire<PodWire>))]
[JsonSerializable(typeof(ListWire<NadWire>))]
[JsonSerializable(typeof(PodWire))]
[JsonSerializable(typeof(NadWire))]
[JsonSerializable(typeof(WatchEventWire))]
[JsonSerializable(typeof(StatusWire))]
internal sealed partial class DaemonJsonContext : JsonSerializerContext;
