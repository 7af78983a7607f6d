using System.Text;
using Plexus.Core.Selection;

namespace Plexus.Fuzz.Targets;

/// <summary>The pod's networks annotation (comma list or JSON) and the default-network annotation.</summary>
public sealed class AnnotationTarget : IFuzzTarget
{
    public string Name => "annotation";

    public void Run(byte[] input)
    {
        var text = Encoding.UTF8.GetString(input);
        // cni-args is merged into delegate configs later: read it as that merge does.
        Expected.CniErrorsOnly(() => _ = NetworkSelectionParser.Parse(text, "pod-ns").Sum(s => s.CniArgs?.ToJsonString().Length ?? 0));
        Expected.CniErrorsOnly(() => _ = NetworkSelectionParser.ParseDefaultNetwork(text, "kube-system"));
    }
}
