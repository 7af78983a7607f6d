using Plexus.Core.Config;

namespace Plexus.Fuzz.Targets;

/// <summary>The meta-plugin's own stdin config (the Multus-compatible NetConf).</summary>
public sealed class NetConfTarget : IFuzzTarget
{
    public string Name => "netconf";

    public void Run(byte[] input) => Expected.CniErrorsOnly(() => _ = MetaConfigParser.Parse(input));
}
