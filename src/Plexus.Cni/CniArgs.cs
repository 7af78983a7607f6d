namespace Plexus.Cni;

/// <summary>
/// The <c>CNI_ARGS</c> value: <c>K=V;K2=V2</c>, kept in order. Parsing is as strict as libcni:
/// every pair must have exactly one <c>=</c> and a non-empty key.
/// </summary>
public sealed record CniArgs
{
    public const string IgnoreUnknownKey = "IgnoreUnknown";

    public static CniArgs Empty { get; } = new([]);

    public CniArgs(IReadOnlyList<KeyValuePair<string, string>> pairs)
    {
        foreach (var (key, value) in pairs)
        {
            if (!IsValidPart(key) || key.Length == 0 || !IsValidPart(value))
            {
                throw new ArgumentException($"CNI_ARGS pair \"{key}={value}\" must have a non-empty key and no '=' or ';'", nameof(pairs));
            }
        }
        Pairs = pairs;
    }

    public IReadOnlyList<KeyValuePair<string, string>> Pairs { get; }

    /// <summary>True when the runtime set <c>IgnoreUnknown</c> to 1 or true: plugins must not reject unknown keys.</summary>
    public bool IgnoreUnknown =>
        TryGet(IgnoreUnknownKey, out var value)
        && (value == "1" || value.Equals("true", StringComparison.OrdinalIgnoreCase));

    /// <summary>Parses <c>CNI_ARGS</c>; null or empty means no args. Malformed pairs are the spec's code 4.</summary>
    public static CniArgs Parse(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return Empty;
        }
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var pair in text.Split(';'))
        {
            var parts = pair.Split('=');
            if (parts.Length != 2 || parts[0].Length == 0)
            {
                throw CniException.InvalidEnvironment(
                    $"CNI_ARGS: invalid pair \"{pair}\": expected KEY=VALUE pairs separated by ';'", $"CNI_ARGS={text}");
            }
            pairs.Add(new(parts[0], parts[1]));
        }
        return new CniArgs(pairs);
    }

    /// <summary>The value of the last pair with this key (later pairs override earlier ones, as in libcni).</summary>
    public bool TryGet(string key, out string value)
    {
        for (var i = Pairs.Count - 1; i >= 0; i--)
        {
            if (Pairs[i].Key == key)
            {
                value = Pairs[i].Value;
                return true;
            }
        }
        value = "";
        return false;
    }

    public string? Get(string key) => TryGet(key, out var value) ? value : null;

    /// <summary>A copy with <paramref name="key"/> set: replaces existing pairs with that key in place, else appends.</summary>
    public CniArgs With(string key, string value)
    {
        var pairs = new List<KeyValuePair<string, string>>(Pairs.Count + 1);
        var replaced = false;
        foreach (var pair in Pairs)
        {
            if (pair.Key != key)
            {
                pairs.Add(pair);
            }
            else if (!replaced)
            {
                pairs.Add(new(key, value));
                replaced = true;
            }
        }
        if (!replaced)
        {
            pairs.Add(new(key, value));
        }
        return new CniArgs(pairs);
    }

    /// <summary>The <c>K=V;K2=V2</c> form.</summary>
    public string Format() => string.Join(';', Pairs.Select(p => p.Key + "=" + p.Value));

    public override string ToString() => Format();

    public bool Equals(CniArgs? other) => other is not null && Pairs.SequenceEqual(other.Pairs);

    public override int GetHashCode() => Pairs.Count;

    private static bool IsValidPart(string part) => !part.Contains('=') && !part.Contains(';');
}
