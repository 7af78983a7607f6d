using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Plexus.Daemon.Logging;

namespace Plexus.Daemon.Server;

/// <summary>
/// Owns the socket directory (0700) and path: one daemon per directory, enforced by an exclusive lock
/// file (released by the kernel if the daemon dies), and a socket left by a dead daemon is removed.
/// A socket that still answers belongs to some other live server: never steal it.
/// </summary>
internal sealed class SocketFileStore : IDisposable
{
    private const UnixFileMode DirMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode SocketMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly FileStream _lockFile;

    private SocketFileStore(string socketPath, FileStream lockFile)
    {
        SocketPath = socketPath;
        _lockFile = lockFile;
    }

    public string SocketPath { get; }

    /// <exception cref="InvalidOperationException">Another daemon holds the directory or answers on the socket.</exception>
    /// <exception cref="IOException">The socket directory is a file, or cannot be created.</exception>
    public static SocketFileStore Claim(string socketPath, ILogger logger)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(socketPath))!;
        if (File.Exists(dir))
        {
            throw new IOException($"socketDir {dir} is a file, not a directory: remove it or choose another socketDir");
        }
        Plexus.Cni.IO.AtomicFile.EnsureDirectory(dir, DirMode);
        var lockPath = Path.Combine(dir, Path.GetFileName(socketPath) + ".lock");
        FileStream lockFile;
        try
        {
            // FileShare.None takes an exclusive flock() on Linux: a second plexusd fails here.
            lockFile = new FileStream(lockPath, new FileStreamOptions
            {
                Mode = FileMode.OpenOrCreate,
                Access = FileAccess.ReadWrite,
                Share = FileShare.None,
                UnixCreateMode = SocketMode,
            });
        }
        catch (IOException e)
        {
            throw new InvalidOperationException(
                $"another plexusd is running with socket {socketPath} (lock {lockPath} is held): stop it first", e);
        }
        try
        {
            RemoveIfStale(socketPath, logger);
            return new SocketFileStore(socketPath, lockFile);
        }
        catch
        {
            lockFile.Dispose();
            throw;
        }
    }

    /// <summary>Narrows the socket the listener created to the owner; the 0700 directory already kept others out meanwhile.</summary>
    public void Restrict() => File.SetUnixFileMode(SocketPath, SocketMode);

    public void Dispose()
    {
        File.Delete(SocketPath);
        _lockFile.Dispose();
    }

    private static void RemoveIfStale(string socketPath, ILogger logger)
    {
        if (!File.Exists(socketPath))
        {
            return;
        }
        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(socketPath));
        }
        catch (SocketException)
        {
            File.Delete(socketPath);
            logger.StaleSocketRemoved(socketPath);
            return;
        }
        throw new InvalidOperationException(
            $"a live server already answers on {socketPath} (not a plexusd holding its lock, e.g. a Multus daemon): stop it or choose another socketDir or socketName");
    }
}
