using Plexus.Cni.Config;
using Plexus.Cni.ConfFiles;

namespace Plexus.Fuzz.Targets;

/// <summary>A CNI network config or conflist as a runtime hands it over or as it lies in the conf dir.</summary>
public sealed class ConfigTarget : IFuzzTarget
{
    public string Name => "config";

    public void Run(byte[] input)
    {
        Expected.CniErrorsOnly(() => _ = NetworkConfig.Parse(input).Raw.ToJsonString());
        Expected.CniErrorsOnly(() => _ = NetworkConfigList.Parse(input).Plugins.Count);
        Expected.CniErrorsOnly(() => _ = NetworkConfigList.ParseConfOrList(input).Raw.ToJsonString());
        Expected.CniErrorsOnly(() => _ = ConfFileLoader.Load("fuzz.conf", input).Plugins.Count);
        Expected.CniErrorsOnly(() => _ = ConfFileLoader.Load("fuzz.conflist", input).Plugins.Count);
    }
}
