using System.Text;
using Plexus.Core.Planning;
using Plexus.Core.Ports;

namespace Plexus.Fuzz.Targets;

/// <summary>A NetworkAttachmentDefinition's <c>spec.config</c> string, resolved into a delegate network.</summary>
public sealed class NadTarget : IFuzzTarget
{
    public string Name => "nad";

    public void Run(byte[] input)
    {
        var nad = new NetworkAttachmentDefinition { Namespace = "ns", Name = "net", Config = Encoding.UTF8.GetString(input) };
        Expected.CniErrorsOnly(() => _ = NadConfigResolver.FromSpec(nad)?.List.Plugins.Count);
    }
}
