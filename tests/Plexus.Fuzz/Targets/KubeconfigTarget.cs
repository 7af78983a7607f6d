using Plexus.Kube;

namespace Plexus.Fuzz.Targets;

/// <summary>A kubeconfig file as the plugin loads it for each invocation.</summary>
public sealed class KubeconfigTarget : IFuzzTarget
{
    public string Name => "kubeconfig";

    public void Run(byte[] input)
    {
        var path = Path.Combine(Path.GetTempPath(), $"plexus-fuzz-kubeconfig-{Environment.ProcessId}");
        File.WriteAllBytes(path, input);
        try
        {
            Expected.CniErrorsOnly(() => _ = KubeConnection.FromKubeconfig(path));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
