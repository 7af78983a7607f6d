using System.Text.Json.Serialization;

namespace Plexus.Core.Config;

/// <summary>
/// Log file rotation, with Multus's defaults (days, MiB, files). Constructor defaults, because
/// source-generated deserialization leaves missing init properties at zero.
/// </summary>
internal sealed record LogOptions(
    [property: JsonPropertyName("maxAge")] int MaxAge = 5,
    [property: JsonPropertyName("maxSize")] int MaxSize = 100,
    [property: JsonPropertyName("maxBackups")] int MaxBackups = 5,
    [property: JsonPropertyName("compress")] bool Compress = true);
