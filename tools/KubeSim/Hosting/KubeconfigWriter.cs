using System.Text;
using Plexus.Cni.IO;

namespace Plexus.KubeSim.Hosting;

/// <summary>Writes a kubeconfig (0600) for the simulator: its URL, CA and token (or token file, so rotation reaches kubectl).</summary>
internal static class KubeconfigWriter
{
    public static void Write(string path, string server, string caPem, string token, string? tokenFile)
    {
        var ca = Convert.ToBase64String(Encoding.UTF8.GetBytes(caPem));
        var user = tokenFile is null ? $"    token: {token}" : $"    tokenFile: {tokenFile}";
        var text = $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: kube-sim
              cluster:
                server: {server}
                certificate-authority-data: {ca}
            users:
            - name: kube-sim
              user:
            {user}
            contexts:
            - name: kube-sim
              context:
                cluster: kube-sim
                user: kube-sim
                namespace: default
            current-context: kube-sim

            """;
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(dir);
        AtomicFile.WriteAllText(path, text, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}
