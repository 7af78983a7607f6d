using Plexus.Cni;
using Plexus.Cni.Results;

namespace Plexus.Fuzz.Targets;

/// <summary>A delegate's stdout read as a result in every default version, then converted to every version.</summary>
public sealed class ResultTarget : IFuzzTarget
{
    public string Name => "result";

    public void Run(byte[] input)
    {
        foreach (var defaultVersion in CniVersion.Supported)
        {
            CniResult? result = null;
            Expected.CniErrorsOnly(() => result = CniResult.Parse(input, defaultVersion));
            if (result is null)
            {
                continue;
            }
            _ = result.ToJson().ToJsonString();
            foreach (var target in CniVersion.Supported)
            {
                Expected.CniErrorsOnly(() => _ = result.ConvertTo(target).ToJson().ToJsonString());
            }
        }
    }
}
