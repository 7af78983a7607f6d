using Plexus.Http;

namespace Plexus.Fuzz.Targets;

/// <summary>
/// An answer on the wire as the thin plugin's API client and the shim read it. Its documented failures: not
/// HTTP/1.1 or over a limit (<see cref="InvalidDataException"/>), or the connection ending early (<see cref="EndOfStreamException"/>).
/// </summary>
public sealed class HttpResponseTarget : IFuzzTarget
{
    public string Name => "http-response";

    public void Run(byte[] input)
    {
        try
        {
            _ = new Http11ResponseReader(new MemoryStream(input), maxBodyBytes: 1 << 20).Read("GET");
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
        {
            // The documented outcome: the caller reports an unreadable answer (code 11) naming the server.
        }
    }
}
