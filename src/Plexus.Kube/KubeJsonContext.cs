using System.Text.Json.Serialization;

namespace Plexus.Kube;

/// <summary>The assembly's source-generated JSON context: only the fields Plexus reads and writes.</summary>
[JsonSerializable(typeof(NadResource))]
[JsonSerializable(typeof(PodResource))]
[JsonSerializable(typeof(EventResource))]
[JsonSerializable(typeof(KubeStatus))]
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
internal sealed partial class KubeJsonContext : JsonSerializerContext;
