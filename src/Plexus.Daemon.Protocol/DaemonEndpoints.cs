namespace Plexus.Daemon.Protocol;

/// <summary>Where the daemon listens and the HTTP paths it serves (Multus thick-mode compatible).</summary>
public static class DaemonEndpoints
{
    public const string DefaultSocketDir = "/run/plexus";
    public const string SocketFileName = "plexus.sock";

    /// <summary>One CNI operation: body <see cref="CniRequestBody"/>, answer <see cref="CniResponseBody"/> or CNI error JSON.</summary>
    public const string Cni = "/cni";

    /// <summary>Hot-plug of a single network into a running pod; same body as <see cref="Cni"/>.</summary>
    public const string Delegate = "/delegate";

    /// <summary>
    /// The largest request body plexusd reads: the JSON of the CNI environment and the base64 of stdin, so about 3 MiB
    /// of network config. plexus-shim refuses a larger request itself, naming this limit.
    /// </summary>
    public const int MaxRequestBodyBytes = 4 << 20;

    public const string Healthz = "/healthz";
    public const string Readyz = "/readyz";

    /// <param name="socketName">
    /// Null or empty: <see cref="SocketFileName"/>. Another name lets plexusd serve a client that expects one, such as
    /// Multus's own shim (<c>multus.sock</c>).
    /// </param>
    public static string SocketPath(string? socketDir, string? socketName = null) =>
        Path.Combine(string.IsNullOrEmpty(socketDir) ? DefaultSocketDir : socketDir,
            string.IsNullOrEmpty(socketName) ? SocketFileName : socketName);

    /// <summary>
    /// Whether a socket name is a plain file name: the directory is the socket dir's, so a path would escape its 0700
    /// directory, and the daemon's lock file beside the socket ends in .lock.
    /// </summary>
    public static bool IsPlainSocketName(string name) =>
        name is not ("" or "." or "..") && !name.Contains('/', StringComparison.Ordinal) && !name.Contains('\0', StringComparison.Ordinal)
        && !name.EndsWith(".lock", StringComparison.Ordinal);
}
