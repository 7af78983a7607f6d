using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Plexus.Daemon.Protocol;

/// <summary>
/// A successful answer: <c>{"Result":{…}}</c> (the capitalised key is Multus's wire format).
/// <see cref="Result"/> is in the version <see cref="CniRequestBody.ResultVersion"/> asks for: plexus-shim's requests get
/// the config's cniVersion and print it unchanged, others get 1.0.0 as from Multus's daemon. It is absent for verbs
/// without a result (DEL, CHECK, GC, STATUS).
/// </summary>
public sealed record CniResponseBody
{
    [JsonPropertyName("Result")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonObject? Result { get; init; }
}
