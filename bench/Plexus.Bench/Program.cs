using Plexus.Bench;

// Usage: Plexus.Bench [--iterations N] [--warmup N] [--only name,...] [--bin DIR] [--cni DIR] [--out FILE]
// The ADD/DEL rows need root and run only inside the node namespace bench/run.sh creates.
var options = BenchOptions.Parse(args);
var paths = new BenchPaths(options.ArtifactsBin, options.CniPluginDir);
paths.Validate();
bool Wanted(string name) => options.Only.Count == 0 || options.Only.Contains(name);

using var node = new BenchNode(Directory.CreateTempSubdirectory("plexus-bench-").FullName);
await using var cluster = BenchNode.InsideNodeNamespace ? await BenchCluster.StartAsync(node) : null;
var comparisons = new List<Comparison> { VersionScenario.Create(paths) };
var notes = new List<string>();
if (cluster is null)
{
    notes.Add("ADD/DEL rows skipped: run through bench/run.sh (as root) so they run inside a throwaway node namespace");
}
else
{
    comparisons.Add(AddDelScenarios.StaticDelegate(paths, node));
    var podRow = AddDelScenarios.PodWithTwoNads(paths, node, cluster);
    comparisons.Add(podRow);
    if (Wanted(podRow.Name))
    {
        notes.Add("API requests per ADD (pod with two NADs): " + cluster.CountRequests(() => podRow.Candidate(ProbeMode.WallTime)));
    }
}

var results = comparisons
    .Where(c => Wanted(c.Name))
    .Select(c =>
    {
        Console.Error.WriteLine($"bench: {c.Name} ({options.Iterations} runs + {options.Warmup} warm-up)");
        return c.Run(options.Iterations, options.Warmup);
    })
    .ToList();

Console.Write(Report.Table(results, options.Iterations));
notes.ForEach(Console.WriteLine);
Directory.CreateDirectory(Path.GetDirectoryName(options.OutFile)!);
Report.WriteJson(options.OutFile, results, options.Iterations, notes);
Console.WriteLine($"written: {options.OutFile}");
