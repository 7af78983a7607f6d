using System.Text.Json;
using System.Text.Json.Serialization;
using Plexus.Cni.Json;

namespace Plexus.Kube;

/// <summary>The assembly's source-generated JSON context: only the fields Plexus reads and writes.</summary>
[JsonSerializable(typeof(NadResource))]
[JsonSerializable(typeof(PodResource))]
[JsonSerializable(typeof(EventResource))]
[JsonSerializable(typeof(KubeStatus))]
// Metadata only, as CniJsonContext: no static property names encoded with the default encoder.
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, GenerationMode = JsonSourceGenerationMode.Metadata)]
internal sealed partial class KubeJsonContext : JsonSerializerContext
{
    /// <summary>
    /// The instance Plexus uses: what it writes is escaped as Go escapes it (<see cref="MinimalJsonEncoder"/>), and the
    /// first event a one-shot plugin records does not build the default encoder's table of every Unicode character.
    /// </summary>
    public static KubeJsonContext Shared { get; } = new(new JsonSerializerOptions
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = MinimalJsonEncoder.Instance,
    });
}
