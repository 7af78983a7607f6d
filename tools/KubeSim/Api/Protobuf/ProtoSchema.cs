namespace Plexus.KubeSim.Api.Protobuf;

/// <summary>How a field's value is read and shown in JSON.</summary>
internal enum ProtoType
{
    String,
    Bool,
    /// <summary>int32/int64 varints (negative int32s arrive sign-extended to 64 bits).</summary>
    Int,
    Message,
    /// <summary>metav1.Time (seconds 1, nanos 2): RFC 3339 in UTC, null when sent empty (the zero time).</summary>
    Time,
    /// <summary>metav1.MicroTime: as <see cref="Time"/> on the wire, RFC 3339 with microseconds in JSON.</summary>
    MicroTime,
    /// <summary>intstr.IntOrString (type 1, intVal 2, strVal 3): a JSON number, or a string when type is 1.</summary>
    IntOrString,
    /// <summary>map&lt;string, string&gt;: entries (key 1, value 2) become a JSON object.</summary>
    StringMap,
    /// <summary>map&lt;string, bytes&gt;: values become base64, as Go encodes []byte in JSON.</summary>
    BytesMap,
    /// <summary>map&lt;string, resource.Quantity&gt;: each Quantity (string 1) becomes its string.</summary>
    QuantityMap,
    /// <summary>
    /// A real field the simulator does not decode: refused (415) rather than dropped, so a body
    /// that uses it is never stored without it. Kubernetes' unknown field numbers are still skipped.
    /// </summary>
    Undecoded,
}

/// <summary>
/// When a field appears in the JSON the real server would write: the Go field's json tag decides.
/// Proto2 as Kubernetes generates it sends every non-pointer scalar, even empty, so the wire alone
/// cannot tell.
/// </summary>
internal enum ProtoPresence
{
    /// <summary><c>omitempty</c> on a non-pointer: "", 0, false and empty lists/maps are left out.</summary>
    OmitZero,
    /// <summary>A pointer (<c>*bool</c>, <c>*int64</c>): shown whenever it was sent, even false or 0.</summary>
    Pointer,
    /// <summary>No <c>omitempty</c>: always shown, with its zero value (null for lists) when absent.</summary>
    Always,
}

/// <param name="Inline">A Go struct embedded with <c>json:",inline"</c>: its fields are written into the enclosing object.</param>
internal sealed record ProtoField(int Number, string Name, ProtoType Type, ProtoMessage? Message = null,
    bool Repeated = false, ProtoPresence Presence = ProtoPresence.OmitZero, bool Inline = false);

/// <summary>A message's known fields by number (from k8s.io/api and apimachinery generated.proto); others are skipped.</summary>
internal sealed class ProtoMessage(string name, params ProtoField[] fields)
{
    private readonly Dictionary<int, ProtoField> _fields = fields.ToDictionary(f => f.Number);

    public string Name { get; } = name;

    public IEnumerable<ProtoField> All => _fields.Values;

    public ProtoField? Find(int number) => _fields.GetValueOrDefault(number);

    public static ProtoField Str(int number, string name, ProtoPresence presence = ProtoPresence.OmitZero) =>
        new(number, name, ProtoType.String, Presence: presence);

    public static ProtoField Strs(int number, string name, ProtoPresence presence = ProtoPresence.OmitZero) =>
        new(number, name, ProtoType.String, Repeated: true, Presence: presence);

    public static ProtoField Bool(int number, string name, ProtoPresence presence = ProtoPresence.OmitZero) =>
        new(number, name, ProtoType.Bool, Presence: presence);

    public static ProtoField Int(int number, string name, ProtoPresence presence = ProtoPresence.OmitZero) =>
        new(number, name, ProtoType.Int, Presence: presence);

    public static ProtoField Time(int number, string name) => new(number, name, ProtoType.Time);

    public static ProtoField MicroTime(int number, string name) => new(number, name, ProtoType.MicroTime);

    public static ProtoField IntOrString(int number, string name) => new(number, name, ProtoType.IntOrString);

    public static ProtoField Map(int number, string name) => new(number, name, ProtoType.StringMap);

    public static ProtoField BytesMap(int number, string name) => new(number, name, ProtoType.BytesMap);

    public static ProtoField QuantityMap(int number, string name) => new(number, name, ProtoType.QuantityMap);

    public static ProtoField Undecoded(int number, string name) => new(number, name, ProtoType.Undecoded);

    public static ProtoField Msg(int number, string name, ProtoMessage message, ProtoPresence presence = ProtoPresence.OmitZero) =>
        new(number, name, ProtoType.Message, message, Presence: presence);

    public static ProtoField Inlined(int number, string name, ProtoMessage message) =>
        new(number, name, ProtoType.Message, message, Inline: true);

    public static ProtoField Msgs(int number, string name, ProtoMessage message, ProtoPresence presence = ProtoPresence.OmitZero) =>
        new(number, name, ProtoType.Message, message, Repeated: true, Presence: presence);
}
