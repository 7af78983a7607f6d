using System.Text;
using Plexus.Testing;

namespace Plexus.App.Tests;

/// <summary>The published <c>plexus</c>, with text in and out.</summary>
internal static class PublishedPlexus
{
    public static bool Exists => PublishedBinary.Plexus.Exists;

    public static string NotPublished => PublishedBinary.Plexus.NotPublished;

    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(IReadOnlyDictionary<string, string> env, string stdin)
    {
        var (exit, stdout, stderr) = await PublishedBinary.Plexus.RunAsync(env, Encoding.UTF8.GetBytes(stdin), TimeSpan.FromSeconds(30));
        return (exit, Encoding.UTF8.GetString(stdout), stderr);
    }
}
