using System.Text.RegularExpressions;

namespace Plexus.Deploy.Tests;

/// <summary>The README's quick start and troubleshooting name files and flags that exist.</summary>
public sealed partial class ReadmeTests
{
    private static readonly string Readme = File.ReadAllText(Path.Combine(RepoLayout.Root, "README.md"));

    private static string Plexus => Path.Combine(RepoLayout.Bin, "plexus");

    [Fact]
    public void DeployPaths_EveryOneNamed_Exists()
    {
        var paths = DeployPath().Matches(Readme).Select(m => m.Value).Distinct().ToList();

        Assert.NotEmpty(paths);
        Assert.All(paths, p => Assert.True(File.Exists(Path.Combine(RepoLayout.Root, p)) || Directory.Exists(Path.Combine(RepoLayout.Root, p)),
            $"README names {p}, which does not exist"));
    }

    [SkippableFact]
    public async Task PlexusCommands_EveryFlagShown_IsOneThePublishedBinaryAccepts()
    {
        Skip.IfNot(File.Exists(Plexus), $"{Plexus} is not built (make publish builds it)");
        var help = (await ProcessRunner.RunAsync(Plexus, ["help"], TimeSpan.FromSeconds(30))).Stdout;
        var invocations = PlexusInvocation().Matches(Readme).ToList();

        Assert.NotEmpty(invocations);
        foreach (var invocation in invocations)
        {
            Assert.Contains($"plexus {invocation.Groups["command"].Value}", help);
            foreach (var flag in Flag().Matches(invocation.Groups["flags"].Value).Select(m => m.Value))
            {
                Assert.True(help.Contains(flag + " ", StringComparison.Ordinal) || help.Contains(flag + "\n", StringComparison.Ordinal)
                    || help.Contains(flag + "]", StringComparison.Ordinal), $"README shows `{invocation.Value}`, but plexus does not accept {flag}");
            }
        }
    }

    [GeneratedRegex(@"deploy/[A-Za-z0-9_./-]*[A-Za-z0-9_]")]
    private static partial Regex DeployPath();

    [GeneratedRegex(@"plexus (?<command>doctor|install|config (?:generate|watch|restore))(?<flags>(?: --[a-z-]+(?:[ =][^\s`|]+)?)*)")]
    private static partial Regex PlexusInvocation();

    [GeneratedRegex(@"--[a-z][a-z-]*")]
    private static partial Regex Flag();
}
