using System.Text.Json.Nodes;

namespace Plexus.KubeSim.Api;

/// <summary>
/// Label selectors (<c>a=b</c>, <c>a!=b</c>, <c>a in (x,y)</c>, <c>a notin (x)</c>, <c>a</c>, <c>!a</c>)
/// and field selectors (<c>field=value</c>, <c>field!=value</c> on the fields the resource
/// supports, see <see cref="FieldLabels"/>) compiled into one predicate.
/// </summary>
internal static class Selectors
{
    public static Func<JsonObject, bool> Compile(Discovery.ResourceType type, string? labelSelector, string? fieldSelector)
    {
        var tests = new List<Func<JsonObject, bool>>();
        foreach (var term in SplitTerms(labelSelector))
        {
            tests.Add(LabelTerm(term));
        }
        foreach (var term in SplitTerms(fieldSelector))
        {
            tests.Add(FieldTerm(type, term));
        }
        return tests.Count == 0 ? static _ => true : obj => tests.TrueForAll(t => t(obj));
    }

    private static Func<JsonObject, bool> LabelTerm(string term)
    {
        Func<string?, bool> test;
        string key;
        var notIn = term.IndexOf(" notin ", StringComparison.Ordinal);
        var inAt = term.IndexOf(" in ", StringComparison.Ordinal);
        if (notIn > 0 || inAt > 0)
        {
            var at = notIn > 0 ? notIn : inAt;
            key = term[..at].Trim();
            var set = ParseSet(term[(at + (notIn > 0 ? 7 : 4))..], term);
            test = notIn > 0 ? v => v is null || !set.Contains(v) : v => v is not null && set.Contains(v);
        }
        else if (TrySplit(term, "!=", out key, out var value))
        {
            test = v => v != value;
        }
        else if (TrySplit(term, "==", out key, out value) || TrySplit(term, "=", out key, out value))
        {
            test = v => v == value;
        }
        else if (term.StartsWith('!'))
        {
            key = term[1..].Trim();
            test = v => v is null;
        }
        else
        {
            key = term;
            test = v => v is not null;
        }
        if (!IsLabelKey(key))
        {
            throw ApiException.BadRequest($"unable to parse requirement: invalid label key \"{key}\"");
        }
        return obj => test(Text(obj["metadata"]?["labels"]?[key]));
    }

    private static Func<JsonObject, bool> FieldTerm(Discovery.ResourceType type, string term)
    {
        var negate = TrySplit(term, "!=", out var field, out var value);
        if (!negate && !TrySplit(term, "==", out field, out value) && !TrySplit(term, "=", out field, out value))
        {
            throw ApiException.BadRequest($"invalid selector: '{term}'; can't understand '{term}'");
        }
        var stored = FieldLabels.Resolve(type, field);
        return obj => (FieldLabels.Value(obj, stored) == value) != negate;
    }

    private static HashSet<string> ParseSet(string text, string term)
    {
        text = text.Trim();
        if (!text.StartsWith('(') || !text.EndsWith(')'))
        {
            throw ApiException.BadRequest($"unable to parse requirement: found '{text}', expected: '(' in \"{term}\"");
        }
        return [.. text[1..^1].Split(',').Select(v => v.Trim())];
    }

    private static IEnumerable<string> SplitTerms(string? selector)
    {
        if (string.IsNullOrWhiteSpace(selector)) yield break;
        var depth = 0;
        var start = 0;
        for (var i = 0; i <= selector.Length; i++)
        {
            if (i == selector.Length || (selector[i] == ',' && depth == 0))
            {
                var term = selector[start..i].Trim();
                if (term.Length > 0) yield return term;
                start = i + 1;
            }
            else if (selector[i] == '(') depth++;
            else if (selector[i] == ')') depth--;
        }
    }

    private static bool TrySplit(string term, string op, out string key, out string value)
    {
        var at = term.IndexOf(op, StringComparison.Ordinal);
        key = at > 0 ? term[..at].Trim() : "";
        value = at > 0 ? term[(at + op.Length)..].Trim() : "";
        return at > 0;
    }

    private static bool IsLabelKey(string key) =>
        key.Length > 0 && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/');

    private static string? Text(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<string>(out var s) ? s
        : node is JsonValue other ? other.ToJsonString()
        : null;
}
