namespace Plexus.Bench;

/// <summary>Cold start of a CNI executable answering VERSION: the cost paid on every plugin call.</summary>
internal static class VersionScenario
{
    public static Comparison Create(BenchPaths paths)
    {
        var env = new Dictionary<string, string> { ["CNI_COMMAND"] = "VERSION" };
        var stdin = "{\"cniVersion\":\"1.0.0\"}"u8.ToArray();
        return new Comparison(
            "version",
            "VERSION, whole process: plexus vs Debian's bridge",
            "plexus",
            mode => Sample.Of(Expect(ProcessProbe.Run(mode, [paths.Plexus], env, stdin), "plexus VERSION")),
            "bridge",
            mode => Sample.Of(Expect(ProcessProbe.Run(mode, [paths.Plugin("bridge")], env, stdin), "bridge VERSION")));
    }

    private static ProcessSample Expect(ProcessSample sample, string what) =>
        sample.ExitCode == 0 && sample.Stdout.Contains("supportedVersions", StringComparison.Ordinal)
            ? sample
            : throw new InvalidOperationException($"{what} failed: exit {sample.ExitCode}, output {sample.Stdout}");
}
