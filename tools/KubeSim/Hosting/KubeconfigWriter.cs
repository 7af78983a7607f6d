using System.Text;
using Plexus.Cni.IO;

namespace Plexus.KubeSim.Hosting;

/// <summary>Writes a kubeconfig (0600) for the simulator: its URL, CA, token, and optionally the token file and a proxy-url.</summary>
internal static class KubeconfigWriter
{
    public static void Write(string path, string server, string caPem, string token, string? tokenFile, string? proxyUrl = null)
    {
        var ca = Convert.ToBase64String(Encoding.UTF8.GetBytes(caPem));
        // client-go (kubectl) prefers tokenFile and re-reads it, so rotation reaches it; KubernetesClient.Aot
        // 21.0.8 hung on its first request with a tokenFile in the kubeconfig, so it is only written on request.
        var user = tokenFile is null ? $"    token: {token}" : $"    token: {token}\n    tokenFile: {tokenFile}";
        // Single-quoted: YAML takes a URL's characters (#, :, @) literally there.
        var proxy = proxyUrl is null ? "" : $"\n    proxy-url: '{proxyUrl.Replace("'", "''", StringComparison.Ordinal)}'";
        var text = $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: kube-sim
              cluster:
                server: {server}{proxy}
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
