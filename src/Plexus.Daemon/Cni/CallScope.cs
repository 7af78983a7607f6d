using System.Collections;
using System.Globalization;
using System.Text;

namespace Plexus.Daemon.Cni;

/// <summary>
/// A request's logging scope. The JSON console formatter writes a scope that is a list of key/value pairs as one
/// field per pair; the simple (text) formatter writes the scope's <see cref="ToString"/>, which is therefore the same
/// pairs in logfmt (<c>verb=ADD pod=ns/name containerId=… network=…</c>), not the list's type name.
/// </summary>
internal sealed class CallScope(CallIdentity who) : IReadOnlyList<KeyValuePair<string, object?>>
{
    private readonly KeyValuePair<string, object?>[] _fields =
    [
        new("verb", who.Verb),
        new("pod", who.Pod),
        new("containerId", who.ContainerId),
        new("network", who.Network),
    ];

    public int Count => _fields.Length;

    public KeyValuePair<string, object?> this[int index] => _fields[index];

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)_fields).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var (key, value) in _fields)
        {
            if (text.Length > 0)
            {
                text.Append(' ');
            }
            text.Append(key).Append('=');
            AppendValue(text, value as string ?? "");
        }
        return text.ToString();
    }

    /// <summary>logfmt: a value with a space, quote, <c>=</c> or control character is quoted (client input can hold any of them).</summary>
    private static void AppendValue(StringBuilder text, string value)
    {
        if (!value.Any(c => c is ' ' or '"' or '=' or '\\' || char.IsControl(c)))
        {
            text.Append(value);
            return;
        }
        text.Append('"');
        foreach (var c in value)
        {
            _ = c switch
            {
                '"' => text.Append("\\\""),
                '\\' => text.Append("\\\\"),
                '\n' => text.Append("\\n"),
                _ when char.IsControl(c) => text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)),
                _ => text.Append(c),
            };
        }
        text.Append('"');
    }
}
