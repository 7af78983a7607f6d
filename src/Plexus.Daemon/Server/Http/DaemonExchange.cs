using System.Text;

namespace Plexus.Daemon.Server.Http;

/// <summary>One request as the daemon's handlers see it: its body is read in full (bounded) before they run.</summary>
internal sealed record DaemonRequest(string Method, string Path, ReadOnlyMemory<byte> Body, bool OnMetricsPort);

/// <summary>A complete answer, written with a Content-Length.</summary>
internal sealed record DaemonResponse(int Status, string ContentType, byte[] Body)
{
    public static DaemonResponse Text(int status, string text) => new(status, "text/plain", Encoding.UTF8.GetBytes(text + "\n"));
}
