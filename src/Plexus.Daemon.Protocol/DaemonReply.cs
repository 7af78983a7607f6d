namespace Plexus.Daemon.Protocol;

/// <summary>The daemon's HTTP answer: status code and the complete body.</summary>
internal sealed record DaemonReply(int StatusCode, byte[] Body);
