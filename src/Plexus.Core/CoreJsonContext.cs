using System.Text.Json.Serialization;
using Plexus.Core.Selection;

namespace Plexus.Core;

/// <summary>
/// The assembly's one source-generated JSON context. Property names match case-insensitively
/// because Multus (Go's encoding/json) accepts keys in any case and existing configs rely on it.
/// Metadata only, as CniJsonContext: no static property names encoded with the default encoder.
/// </summary>
[JsonSourceGenerationOptions(
    GenerationMode = JsonSourceGenerationMode.Metadata,
    PropertyNameCaseInsensitive = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(List<NetworkSelection>))]
[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(List<PortMapping>))]
[JsonSerializable(typeof(Bandwidth))]
internal sealed partial class CoreJsonContext : JsonSerializerContext;
