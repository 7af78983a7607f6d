using System.Text.Json.Serialization;
using Plexus.Cni.Skel;

namespace Plexus.Cni.Json;

/// <summary>The one source-generated serializer context of Plexus.Cni (NativeAOT: no reflection).</summary>
[JsonSerializable(typeof(CniErrorWire))]
internal sealed partial class CniJsonContext : JsonSerializerContext;
