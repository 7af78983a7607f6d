using Plexus.Bench;

// Usage: Plexus.Bench [--iterations N] [--warmup N] [--only name,...] [--bin DIR] [--cni DIR] [--out FILE]
var options = BenchOptions.Parse(args);
var paths = new BenchPaths(options.ArtifactsBin, options.CniPluginDir);
paths.Validate();

var comparisons = new List<Comparison> { VersionScenario.Create(paths) };
var results = comparisons
    .Where(c => options.Only.Count == 0 || options.Only.Contains(c.Name))
    .Select(c =>
    {
        Console.Error.WriteLine($"bench: {c.Name} ({options.Iterations} runs + {options.Warmup} warm-up)");
        return c.Run(options.Iterations, options.Warmup);
    })
    .ToList();

Console.Write(Report.Table(results, options.Iterations));
Directory.CreateDirectory(Path.GetDirectoryName(options.OutFile)!);
Report.WriteJson(options.OutFile, results, options.Iterations);
Console.WriteLine($"written: {options.OutFile}");
