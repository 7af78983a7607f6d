using System.Globalization;

namespace Plexus.Bench.Infrastructure;

/// <summary>Reads single samples out of a Prometheus text exposition (enough for gauges the bench waits on).</summary>
internal static class PrometheusText
{
    /// <summary>
    /// The value of <paramref name="metric"/> whose labels include every pair in <paramref name="labels"/>;
    /// null when no such sample is exposed.
    /// </summary>
    public static double? Value(string exposition, string metric, params (string Name, string Value)[] labels) =>
        Samples(exposition, metric)
            .Where(s => labels.All(l => s.Labels.TryGetValue(l.Name, out var v) && v == l.Value))
            .Select(s => (double?)s.Value)
            .FirstOrDefault();

    /// <summary>The sum of every sample of <paramref name="metric"/> whatever its labels (0 when none): a histogram's _sum or _count over all its series.</summary>
    public static double Total(string exposition, string metric) => Samples(exposition, metric).Sum(s => s.Value);

    private static IEnumerable<(Dictionary<string, string> Labels, double Value)> Samples(string exposition, string metric)
    {
        foreach (var raw in exposition.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#' || !line.StartsWith(metric, StringComparison.Ordinal))
            {
                continue;
            }
            var rest = line[metric.Length..];
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            if (rest.StartsWith('{'))
            {
                var close = rest.LastIndexOf('}');
                if (close < 0)
                {
                    continue;
                }
                labels = Labels(rest[1..close]);
                rest = rest[(close + 1)..];
            }
            else if (rest.Length == 0 || rest[0] != ' ')
            {
                continue; // a longer metric name sharing the prefix
            }
            yield return (labels, double.Parse(rest.Trim().Split(' ')[0], NumberStyles.Float, CultureInfo.InvariantCulture));
        }
    }

    /// <summary><c>a="x",b="y\"z"</c> → {a: x, b: y"z}.</summary>
    public static Dictionary<string, string> Labels(string text)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        var i = 0;
        while (i < text.Length)
        {
            var eq = text.IndexOf('=', i);
            if (eq < 0 || eq + 1 >= text.Length || text[eq + 1] != '"')
            {
                throw new FormatException($"bad label set '{text}'");
            }
            var name = text[i..eq].Trim();
            var value = new System.Text.StringBuilder();
            var j = eq + 2;
            for (; j < text.Length && text[j] != '"'; j++)
            {
                if (text[j] == '\\' && j + 1 < text.Length)
                {
                    j++;
                    value.Append(text[j] == 'n' ? '\n' : text[j]);
                }
                else
                {
                    value.Append(text[j]);
                }
            }
            if (j >= text.Length)
            {
                throw new FormatException($"unterminated label value in '{text}'");
            }
            labels[name] = value.ToString();
            i = j + 1;
            if (i < text.Length && text[i] == ',')
            {
                i++;
            }
        }
        return labels;
    }
}
