using System.Text;
using System.Text.Json;

namespace Plexus.Bench;

/// <summary>Prints the comparison table and writes it as JSON under bench/results/.</summary>
internal static class Report
{
    public static string Table(IReadOnlyList<ComparisonResult> results, int iterations)
    {
        var text = new StringBuilder();
        text.AppendLine($"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, {DateTime.UtcNow:yyyy-MM-dd}; median of {iterations} runs each, alternating");
        text.AppendLine("| row | what it measures | candidate ms (min–max) | baseline ms (min–max) | ratio | overhead ms | peak RSS MiB cand/base |");
        text.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var r in results)
        {
            text.AppendLine(
                $"| {r.Name} | {r.Measures} | {r.CandidateLabel} {r.Candidate.MedianMs:F2} ({r.Candidate.MinMs:F2}–{r.Candidate.MaxMs:F2}) " +
                $"| {r.BaselineLabel} {r.Baseline.MedianMs:F2} ({r.Baseline.MinMs:F2}–{r.Baseline.MaxMs:F2}) " +
                $"| {r.WallRatio:F2}× | {r.OverheadMs:F2} | {r.Candidate.PeakRssKiB / 1024.0:F1} / {r.Baseline.PeakRssKiB / 1024.0:F1} |");
        }
        return text.ToString();
    }

    public static void WriteJson(string path, IReadOnlyList<ComparisonResult> results, int iterations, IReadOnlyList<string> notes)
    {
        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("date", DateTime.UtcNow.ToString("O"));
        json.WriteNumber("cores", Environment.ProcessorCount);
        json.WriteNumber("iterations", iterations);
        json.WriteStartArray("rows");
        foreach (var r in results)
        {
            json.WriteStartObject();
            json.WriteString("name", r.Name);
            json.WriteString("measures", r.Measures);
            WriteSide(json, "candidate", r.CandidateLabel, r.Candidate);
            WriteSide(json, "baseline", r.BaselineLabel, r.Baseline);
            json.WriteNumber("ratio", Math.Round(r.WallRatio, 3));
            json.WriteNumber("overheadMs", Math.Round(r.OverheadMs, 3));
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteStartArray("notes");
        notes.ToList().ForEach(json.WriteStringValue);
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteSide(Utf8JsonWriter json, string key, string label, Distribution d)
    {
        json.WriteStartObject(key);
        json.WriteString("label", label);
        json.WriteNumber("medianMs", Math.Round(d.MedianMs, 3));
        json.WriteNumber("minMs", Math.Round(d.MinMs, 3));
        json.WriteNumber("maxMs", Math.Round(d.MaxMs, 3));
        json.WriteNumber("peakRssKiB", d.PeakRssKiB);
        json.WriteEndObject();
    }
}
