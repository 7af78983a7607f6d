namespace Plexus.NodeAgent.Cli;

/// <summary>
/// Parses flags the way Go's pflag does, so Multus DaemonSet arg lists work unchanged:
/// <c>--name=value</c>, <c>--name value</c>, bools as <c>--name</c> or <c>--name=true|false</c>;
/// a single leading dash is accepted too. Unknown flags and stray arguments are errors. When two specs
/// claim a name, the later one has it (a command can give a shared flag name its own meaning).
/// </summary>
internal static class FlagParser
{
    public static ParsedFlags Parse(IReadOnlyList<string> args, IReadOnlyList<FlagSpec> specs)
    {
        var byName = new Dictionary<string, FlagSpec>(StringComparer.Ordinal);
        foreach (var spec in specs)
        {
            byName[spec.Name] = spec;
            foreach (var alias in spec.Aliases)
            {
                byName[alias] = spec;
            }
        }
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith('-') || arg == "-" || arg == "--")
            {
                return Fail(values, $"unexpected argument \"{arg}\"");
            }
            var body = arg.TrimStart('-');
            var eq = body.IndexOf('=');
            var name = eq < 0 ? body : body[..eq];
            if (!byName.TryGetValue(name, out var flag))
            {
                return Fail(values, $"unknown flag --{name}");
            }
            string value;
            if (eq >= 0)
            {
                value = body[(eq + 1)..];
            }
            else if (flag.IsBool)
            {
                value = "true";
            }
            else if (i + 1 < args.Count)
            {
                value = args[++i];
            }
            else
            {
                return Fail(values, $"flag --{name} needs a value");
            }
            if (flag.IsBool)
            {
                if (!bool.TryParse(value, out var on))
                {
                    return Fail(values, $"flag --{name} takes true or false, not \"{value}\"");
                }
                value = on ? "true" : "false";
            }
            values[flag.Name] = value;
        }
        return new ParsedFlags(values, null);
    }

    private static ParsedFlags Fail(Dictionary<string, string> values, string error) => new(values, error);
}
