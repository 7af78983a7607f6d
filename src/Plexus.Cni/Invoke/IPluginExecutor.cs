namespace Plexus.Cni.Invoke;

/// <summary>Finds and runs plugin executables; the one seam between the CNI runtime and processes.</summary>
public interface IPluginExecutor
{
    /// <summary>The path of plugin <paramref name="type"/> in <paramref name="binDirs"/>; throws <see cref="CniException"/> when absent.</summary>
    string Locate(string type, IReadOnlyList<string> binDirs);

    /// <summary>
    /// Runs the plugin and returns its stdout. Any failure (cannot start, timeout, non-zero exit)
    /// is a <see cref="CniException"/> whose message names the delegate.
    /// </summary>
    Task<byte[]> ExecuteAsync(PluginInvocation invocation, CancellationToken cancellationToken);
}
