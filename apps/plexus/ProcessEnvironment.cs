using System.Collections;

namespace Plexus.App;

/// <summary>The one place that reads the process environment; everything below gets it injected.</summary>
internal static class ProcessEnvironment
{
    public static Dictionary<string, string> Read()
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            env[(string)entry.Key] = entry.Value as string ?? "";
        }
        return env;
    }
}
