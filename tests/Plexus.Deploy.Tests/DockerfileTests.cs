using System.Text.RegularExpressions;

namespace Plexus.Deploy.Tests;

/// <summary>The image the DaemonSets run is the one deploy/Dockerfile builds.</summary>
public sealed partial class DockerfileTests
{
    private static readonly string[] Lines = File.ReadAllLines(RepoLayout.DeployFile("Dockerfile"));

    private static readonly Manifests Deploy = Manifests.Load(Manifests.InstallFiles);

    [Fact]
    public void AotApps_EachExistsAndPublishesNativeAot()
    {
        Assert.NotEmpty(AotApps());
        foreach (var project in AotApps())
        {
            var path = Path.Combine(RepoLayout.Root, project);
            Assert.True(File.Exists(path), $"Dockerfile publishes {project}, which does not exist");
            Assert.Contains("<PublishAot>true</PublishAot>", File.ReadAllText(path));
        }
    }

    [SkippableTheory]
    [InlineData("plexus")]
    [InlineData("plexusd")]
    public void RuntimeImage_ShipsEveryBinaryTheDaemonSetRuns(string daemonSet)
    {
        var binaries = new PodTemplate(Deploy.Get("DaemonSet", daemonSet)).Containers
            .Select(c => PodTemplate.CommandLine(c)[0])
            .Concat(PodTemplate.CommandLine(new PodTemplate(Deploy.Get("DaemonSet", daemonSet)).InitContainers.Single())
                .Where(a => a.StartsWith("--source=", StringComparison.Ordinal)).Select(a => a.Split('=')[1]))
            .Distinct()
            .ToList();
        var (built, missing) = (
            binaries.Where(b => Directory.Exists(AppDir(b))).ToList(),
            binaries.Where(b => !Directory.Exists(AppDir(b))).ToList());

        Assert.All(binaries, b => Assert.StartsWith("/usr/local/bin/", b));
        Assert.Contains(Lines, l => l.Trim() == "COPY --from=build /out/ /usr/local/bin/");
        Assert.Subset(AotApps().Select(Path.GetFileNameWithoutExtension).ToHashSet(), built.Select(Path.GetFileName).ToHashSet());
        Skip.If(missing.Count > 0, $"thick mode (issue 6) is not complete: no apps/ project for {string.Join(", ", missing)} yet");
    }

    private static string AppDir(string binary) => Path.Combine(RepoLayout.Root, "apps", Path.GetFileName(binary));

    [Fact]
    public void Stages_BuildAndRuntime_ShareOneDistributionRelease()
    {
        var froms = Lines.Select(l => FromLine().Match(l)).Where(m => m.Success).ToList();

        Assert.Equal(["build", "runtime"], froms.Select(m => m.Groups["stage"].Value));
        Assert.Single(froms.Select(m => m.Groups["release"].Value).Distinct());
        Assert.Contains("runtime-deps", froms[1].Groups["image"].Value);
    }

    // The Dockerfile publishes apps/*/*.csproj (the same glob, relative to the repo root).
    private static IReadOnlyList<string> AotApps()
    {
        Assert.Contains(Lines, l => l.Trim() == "&& for proj in apps/*/*.csproj; do \\");
        return Directory.GetDirectories(Path.Combine(RepoLayout.Root, "apps"))
            .SelectMany(d => Directory.GetFiles(d, "*.csproj"))
            .Select(p => Path.GetRelativePath(RepoLayout.Root, p))
            .ToList();
    }

    [GeneratedRegex(@"^FROM (?<image>\S+?):\$\{DOTNET_VERSION\}-(?<release>[a-z]+)\S* AS (?<stage>\w+)$")]
    private static partial Regex FromLine();
}
