using System.Globalization;
using System.Text;

namespace Plexus.Bench.Reporting;

/// <summary>The bench table as Markdown (printed, and pasted into the README).</summary>
internal static class TableRenderer
{
    public static string Render(RunInfo run, IReadOnlyList<BenchRow> rows, IReadOnlyList<string> notes)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"machine: {run.Machine}; {run.Date:yyyy-MM-dd HH:mm} UTC; timed rows: median of {run.Iterations} after {run.Warmup} warm-up, candidate and baseline alternating");
        text.AppendLine();
        text.AppendLine("| row | what it measures | candidate: median (min–max) | baseline: median (min–max) | ratio | memory MiB | target | met |");
        text.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var row in rows)
        {
            text.AppendLine(row.Error is { } error
                ? $"| {row.Name} | {row.Measures} | failed: {error} | | | | | no |"
                : $"| {row.Name} | {row.Measures} | {SideCell(row, row.Candidate)} | {SideCell(row, row.Baseline)} | {RatioCell(row)} " +
                  $"| {MemoryCell(row)} | {row.Target?.Text} | {MetCell(row.Target)} |");
        }
        if (notes.Count > 0)
        {
            text.AppendLine();
            foreach (var note in notes)
            {
                text.AppendLine("- " + note);
            }
        }
        return text.ToString();
    }

    /// <summary>Three significant-ish digits: 0.05, 4.70, 23.3, 277.</summary>
    public static string Number(double value) => Math.Abs(value) switch
    {
        >= 100 => value.ToString("F0", CultureInfo.InvariantCulture),
        >= 10 => value.ToString("F1", CultureInfo.InvariantCulture),
        _ => value.ToString("F2", CultureInfo.InvariantCulture),
    };

    private static string SideCell(BenchRow row, Side? side)
    {
        if (side is null)
        {
            return "—";
        }
        var v = side.Value;
        // A single count (API requests) reads as a whole number.
        var median = v.Count == 1 && v.Median == Math.Round(v.Median) ? v.Median.ToString("F0", CultureInfo.InvariantCulture) : Number(v.Median);
        var cell = $"{side.Label} {median} {row.Unit}";
        if (v.Count > 1)
        {
            cell += row.QuoteP99 ? $" ({Number(v.Min)}–{Number(v.Max)}, p99 {Number(v.P99)})" : $" ({Number(v.Min)}–{Number(v.Max)})";
        }
        return cell;
    }

    private static string RatioCell(BenchRow row) => row.Ratio is { } ratio ? Number(ratio) + "×" : "—";

    private static string MemoryCell(BenchRow row)
    {
        if (row.Candidate?.RssKiB is { } rss)
        {
            var peak = row.Candidate.PeakRssKiB is { } hwm ? $", HWM {MiB(hwm)}" : "";
            var heap = row.Candidate.HeapKiB is { } managed ? $", heap {MiB(managed)}" : "";
            return $"RSS {MiB(rss)}{peak}{heap}";
        }
        var candidate = row.Candidate?.PeakRssKiB;
        var baseline = row.Baseline?.PeakRssKiB;
        return (candidate, baseline) switch
        {
            (null, null) => "—",
            (_, null) => $"peak {MiB(candidate!.Value)}",
            _ => $"peak {(candidate is { } c ? MiB(c) : "—")} / {MiB(baseline.Value)}",
        };
    }

    private static string MiB(long kib) => (kib / 1024.0).ToString("F1", CultureInfo.InvariantCulture);

    private static string MetCell(TargetCheck? target) => target switch
    {
        null => "",
        { Met: true } => "yes",
        _ => "**no**",
    };
}
