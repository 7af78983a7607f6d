namespace Plexus.Bench.Reporting;

/// <summary>What the whole run shares: where it ran, when, and how many samples each side got.</summary>
internal sealed record RunInfo(string Machine, DateTimeOffset Date, int Iterations, int Warmup);
