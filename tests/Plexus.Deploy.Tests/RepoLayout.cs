namespace Plexus.Deploy.Tests;

/// <summary>Where the shipped artifacts are: deploy/, the Dockerfile, the published binaries.</summary>
internal static class RepoLayout
{
    public static string Root { get; } = FindRoot();

    public static string Deploy => Path.Combine(Root, "deploy");

    public static string Bin => Path.Combine(Root, "artifacts", "bin");

    public static string DeployFile(string relative) => Path.Combine(Deploy, relative);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Plexus.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"no Plexus.slnx above {AppContext.BaseDirectory}: run the tests from the repository");
    }
}
