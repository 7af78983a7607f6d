namespace Plexus.NodeAgent.Cli;

/// <summary>One command-line flag: canonical name, Multus aliases, and whether it takes a value.</summary>
internal sealed record FlagSpec(string Name, bool IsBool, string Help, params string[] Aliases);

/// <summary>Parsed flags by canonical name (last occurrence wins), or the usage error.</summary>
internal sealed record ParsedFlags(IReadOnlyDictionary<string, string> Values, string? Error)
{
    public string? Get(string name) => Values.TryGetValue(name, out var v) ? v : null;

    public bool Has(string name) => Values.ContainsKey(name);

    /// <summary>A bool flag's value; a malformed one was already rejected by the parser.</summary>
    public bool IsOn(string name) => Get(name) is { } v && bool.Parse(v);
}
