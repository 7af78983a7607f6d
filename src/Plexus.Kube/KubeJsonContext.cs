using System.Text.Json.Serialization;

namespace Plexus.Kube;

/// <summary>
/// The assembly's source-generated JSON context, for the Status object of a failed request only: the objects a
/// CNI invocation reads and writes on success are handled without the serializer (see <see cref="KubeObjectReader"/>).
/// </summary>
[JsonSerializable(typeof(KubeStatus))]
[JsonSourceGenerationOptions(GenerationMode = JsonSourceGenerationMode.Metadata)]
internal sealed partial class KubeJsonContext : JsonSerializerContext;
