using System.Text.Json;
using Plexus.Cni.Skel;
using Plexus.Daemon.Protocol;

namespace Plexus.Fuzz.Targets;

/// <summary>
/// The body of a request to plexusd's <c>/cni</c> endpoint, read as the daemon reads it: the
/// protocol record, the embedded stdin config, then the CNI invocation it carries. A body that does
/// not decode, or decodes with nulls, is answered 400.
/// </summary>
public sealed class DaemonBodyTarget : IFuzzTarget
{
    public string Name => "daemon-body";

    public void Run(byte[] input)
    {
        CniRequestBody? body;
        try
        {
            body = JsonSerializer.Deserialize(input, ProtocolJsonContext.Default.CniRequestBody);
        }
        catch (JsonException)
        {
            return;
        }
        if (body is not { IsComplete: true })
        {
            return;
        }
        _ = StdinConfig.Read(body.Config);
        if (CniEnv.Get(body.Env, CniEnv.Command) != "VERSION")
        {
            Expected.CniErrorsOnly(() => _ = CniInvocation.Create(body.Env, body.Config));
        }
    }
}
