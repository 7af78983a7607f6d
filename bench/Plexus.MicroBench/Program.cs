using BenchmarkDotNet.Running;

// In-process micro-benchmarks of the pure hot paths: `make microbench` (or dotnet run -c Release -- --filter '*').
BenchmarkSwitcher.FromAssembly(typeof(Plexus.MicroBench.HotPathBenchmarks).Assembly).Run(args);
