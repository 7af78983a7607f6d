using System.Text.Json.Serialization;

namespace Plexus.Daemon.Protocol;

/// <summary>
/// What the shim sends: the CNI environment and the runtime's stdin, unchanged.
/// The wire shape is Multus's (<c>{"env":{…},"config":"&lt;base64&gt;"}</c>) so its shim can talk to plexusd.
/// </summary>
public sealed record CniRequestBody
{
    [JsonPropertyName("env")]
    public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();

    /// <summary>The network configuration bytes from stdin (base64 on the wire).</summary>
    [JsonPropertyName("config")]
    public byte[] Config { get; init; } = [];

    /// <summary>Only for <c>/delegate</c>: addresses and MAC requested for the hot-plugged interface.</summary>
    [JsonPropertyName("interfaceAttributes")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DelegateInterfaceAttributes? InterfaceAttributes { get; init; }

    /// <summary>
    /// False for bodies that decode but are not a shim's (<c>"env": null</c>, <c>"config": null</c>, a null
    /// env value): the daemon answers those 400 like undecodable ones instead of failing on them later.
    /// </summary>
    [JsonIgnore]
    public bool IsComplete => Env is not null && Config is not null && Env.Values.All(v => v is not null);
}

public sealed record DelegateInterfaceAttributes
{
    [JsonPropertyName("ips")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Ips { get; init; }

    [JsonPropertyName("mac")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Mac { get; init; }
}
