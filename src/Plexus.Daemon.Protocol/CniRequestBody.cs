using System.Buffers;
using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Plexus.Daemon.Protocol;

/// <summary>
/// What the shim sends: the CNI environment and the runtime's stdin, unchanged.
/// The wire shape is Multus's (<c>{"env":{…},"config":"&lt;base64&gt;"}</c>) so its shim can talk to plexusd;
/// plexus-shim adds <see cref="ResultVersion"/>, which Multus's shim never sends.
/// </summary>
public sealed record CniRequestBody
{
    /// <summary>The one value of <see cref="ResultVersion"/>: the Result in the cniVersion of the request's config.</summary>
    public const string ResultInConfigVersion = "config";

    [JsonPropertyName("env")]
    public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();

    /// <summary>The network configuration bytes from stdin (base64 on the wire).</summary>
    [JsonPropertyName("config")]
    public byte[] Config { get; init; } = [];

    /// <summary>Only for <c>/delegate</c>: addresses, MAC and CNI args requested for the hot-plugged interface.</summary>
    [JsonPropertyName("interfaceAttributes")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DelegateInterfaceAttributes? InterfaceAttributes { get; init; }

    /// <summary>
    /// <see cref="ResultInConfigVersion"/> (plexus-shim always sends it): the answer's <c>Result</c> is in the cniVersion of
    /// <see cref="Config"/>, byte for byte what the thin plugin prints, and the shim prints it unchanged. Absent (Multus's
    /// shim, hot-plug controllers): the <c>Result</c> is cniVersion 1.0.0, as Multus's daemon answers, since Multus's shim
    /// decodes it as a 1.0.0 result and converts that to the runtime's version itself.
    /// </summary>
    [JsonPropertyName("resultVersion")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ResultVersion { get; init; }

    /// <summary>
    /// False for bodies that decode but are not a shim's (<c>"env": null</c>, <c>"config": null</c>, a null
    /// env value): the daemon answers those 400 like undecodable ones instead of failing on them later.
    /// </summary>
    [JsonIgnore]
    public bool IsComplete => Env is not null && Config is not null && Env.Values.All(v => v is not null);

    /// <summary>
    /// The shim's body, written by hand: the serializer's metadata set-up for this type, and the escaping encoder a
    /// <see cref="Utf8JsonWriter"/> initialises, were a fifth of a shim process's CPU for one object per process.
    /// Everything outside printable ASCII (and <c>"</c>, <c>\</c>) is written as a <c>\uXXXX</c> escape. It asks for the
    /// Result in the config's cniVersion (<see cref="ResultVersion"/>).
    /// </summary>
    public static byte[] Encode(IReadOnlyDictionary<string, string> env, ReadOnlySpan<byte> config)
    {
        var output = new ArrayBufferWriter<byte>(config.Length * 4 / 3 + 1024);
        output.Write("{\"env\":{"u8);
        var first = true;
        foreach (var (name, value) in env)
        {
            if (!first)
            {
                output.Write(","u8);
            }
            first = false;
            WriteString(output, name);
            output.Write(":"u8);
            WriteString(output, value);
        }
        output.Write("},\"config\":\""u8);
        var base64 = output.GetSpan(Base64.GetMaxEncodedToUtf8Length(config.Length));
        Base64.EncodeToUtf8(config, base64, out _, out var written);
        output.Advance(written);
        output.Write("\",\"resultVersion\":\""u8);
        output.Write(Encoding.ASCII.GetBytes(ResultInConfigVersion));
        output.Write("\"}"u8);
        return output.WrittenSpan.ToArray();
    }

    private static void WriteString(ArrayBufferWriter<byte> output, string text)
    {
        output.Write("\""u8);
        foreach (var c in text)
        {
            if (c is >= ' ' and < (char)0x7f and not '"' and not '\\')
            {
                output.GetSpan(1)[0] = (byte)c;
                output.Advance(1);
            }
            else
            {
                // UTF-16 code units, so a surrogate pair becomes the two escapes JSON expects.
                output.Write(Encoding.ASCII.GetBytes($"\\u{(int)c:x4}"));
            }
        }
        output.Write("\""u8);
    }
}

public sealed record DelegateInterfaceAttributes
{
    [JsonPropertyName("ips")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Ips { get; init; }

    [JsonPropertyName("mac")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Mac { get; init; }

    /// <summary>Merged into every plugin's <c>args.cni</c>, as a selection element's <c>cni-args</c>.</summary>
    [JsonPropertyName("cni-args")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonObject? CniArgs { get; init; }
}
