using System.Text;
using System.Text.Json;

namespace Plexus.Bench.Reporting;

/// <summary>The bench results as JSON (bench/results/latest.json): the same rows as the table, unrounded.</summary>
internal static class JsonRenderer
{
    public static string Render(RunInfo run, IReadOnlyList<BenchRow> rows, IReadOnlyList<string> notes)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("date", run.Date.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            json.WriteString("machine", run.Machine);
            json.WriteNumber("iterations", run.Iterations);
            json.WriteNumber("warmup", run.Warmup);
            json.WriteStartArray("rows");
            foreach (var row in rows)
            {
                WriteRow(json, row);
            }
            json.WriteEndArray();
            json.WriteStartArray("notes");
            foreach (var note in notes)
            {
                json.WriteStringValue(note);
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteRow(Utf8JsonWriter json, BenchRow row)
    {
        json.WriteStartObject();
        json.WriteString("name", row.Name);
        json.WriteString("measures", row.Measures);
        json.WriteString("unit", row.Unit);
        if (row.Error is { } error)
        {
            json.WriteString("error", error);
        }
        WriteSide(json, "candidate", row.Candidate);
        WriteSide(json, "baseline", row.Baseline);
        if (row.Ratio is { } ratio)
        {
            json.WriteNumber("ratio", Math.Round(ratio, 3));
        }
        if (row.Difference is { } difference)
        {
            json.WriteNumber("difference", Math.Round(difference, 3));
        }
        if (row.Target is { } target)
        {
            json.WriteStartObject("target");
            json.WriteString("text", target.Text);
            json.WriteBoolean("met", target.Met);
            json.WriteEndObject();
        }
        json.WriteEndObject();
    }

    private static void WriteSide(Utf8JsonWriter json, string key, Side? side)
    {
        if (side is null)
        {
            return;
        }
        json.WriteStartObject(key);
        json.WriteString("label", side.Label);
        json.WriteNumber("median", Math.Round(side.Value.Median, 3));
        json.WriteNumber("min", Math.Round(side.Value.Min, 3));
        json.WriteNumber("max", Math.Round(side.Value.Max, 3));
        json.WriteNumber("p99", Math.Round(side.Value.P99, 3));
        json.WriteNumber("count", side.Value.Count);
        if (side.PeakRssKiB is { } peak)
        {
            json.WriteNumber("peakRssKiB", peak);
        }
        if (side.RssKiB is { } rss)
        {
            json.WriteNumber("rssKiB", rss);
        }
        if (side.HeapKiB is { } heap)
        {
            json.WriteNumber("heapKiB", heap);
        }
        json.WriteEndObject();
    }
}
