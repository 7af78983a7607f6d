using System.Text.Json.Serialization;

namespace Plexus.Daemon.Protocol;

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(CniRequestBody))]
[JsonSerializable(typeof(CniResponseBody))]
internal sealed partial class ProtocolJsonContext : JsonSerializerContext;
