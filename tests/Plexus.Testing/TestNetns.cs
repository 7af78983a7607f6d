using Plexus.Linux.Netns;

namespace Plexus.Testing;

/// <summary>Names of test namespaces (<c>plexus-test-&lt;pid&gt;-&lt;random&gt;</c>) and removal of ones left by dead test runs.</summary>
public static class TestNetns
{
    public const string Prefix = "plexus-test-";

    public static string NewName() => $"{Prefix}{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>Deletes test namespaces whose creating process is gone; those of concurrent live runs are kept.</summary>
    public static void RemoveStale()
    {
        foreach (var name in NetnsManager.List().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            var pid = name[Prefix.Length..].Split('-')[0];
            if (int.TryParse(pid, out var id) && !Directory.Exists($"/proc/{id}"))
            {
                NetnsManager.Delete(name);
            }
        }
    }
}
