using Plexus.Kubelet.Grpc;
using Plexus.Kubelet.PodResources;

namespace Plexus.Fuzz.Targets;

/// <summary>
/// The kubelet's PodResources answer as the plugin reads it (device ids for a network's resource): a gRPC body
/// unframed into messages, each decoded as a Get and as a List response, and the input itself decoded as a message.
/// The documented failure is an <see cref="InvalidDataException"/>, which the client turns into a CNI error.
/// </summary>
public sealed class KubeletResponseTarget : IFuzzTarget
{
    public string Name => "kubelet-response";

    public void Run(byte[] input)
    {
        Expected.Only<InvalidDataException>(() =>
        {
            foreach (var message in GrpcFraming.Unframe(input))
            {
                Decode(message);
            }
        });
        Decode(input);
    }

    private static void Decode(byte[] message)
    {
        Expected.Only<InvalidDataException>(() => PodResourcesMessages.ReadGetResponse(message));
        Expected.Only<InvalidDataException>(() => PodResourcesMessages.ReadListResponse(message));
    }
}
