using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Plexus.Daemon.Protocol;

/// <summary>
/// A successful answer: <c>{"Result":{…}}</c> (the capitalised key is Multus's wire format).
/// <see cref="Result"/> is already in the request's cniVersion and is printed by the shim unchanged;
/// it is absent for verbs without a result (DEL, CHECK, GC, STATUS).
/// </summary>
public sealed record CniResponseBody
{
    [JsonPropertyName("Result")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonObject? Result { get; init; }
}
