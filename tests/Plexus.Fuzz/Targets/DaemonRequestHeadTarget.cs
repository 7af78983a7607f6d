using Plexus.Daemon.Server.Http;

namespace Plexus.Fuzz.Targets;

/// <summary>A request head as plexusd's HTTP server parses it; anything it cannot act on is answered with a status and closed.</summary>
public sealed class DaemonRequestHeadTarget : IFuzzTarget
{
    public string Name => "daemon-request-head";

    public void Run(byte[] input)
    {
        try
        {
            _ = HttpRequestHead.Parse(input);
        }
        catch (HttpRequestRejected)
        {
            // The documented outcome: 400, 413, 431, 501 or 505, then the connection closes.
        }
    }
}
