using System.Text.Json.Serialization;
using Plexus.Daemon.Caches;
using Plexus.Kube;

namespace Plexus.Daemon;

/// <summary>The one serializer context of Plexus.Daemon: the list/watch envelopes and the Kubernetes objects inside them.</summary>
[JsonSerializable(typeof(ListWire<PodResource>))]
[JsonSerializable(typeof(ListWire<NadResource>))]
[JsonSerializable(typeof(PodResource))]
[JsonSerializable(typeof(NadResource))]
[JsonSerializable(typeof(WatchEventWire))]
[JsonSerializable(typeof(KubeStatus))]
internal sealed partial class DaemonJsonContext : JsonSerializerContext;
