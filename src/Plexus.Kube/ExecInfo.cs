using System.Buffers;
using System.Text.Json;
using k8s.KubeConfigModels;
using static Plexus.Kube.ExecPluginCommand;

namespace Plexus.Kube;

/// <summary>
/// The <c>KUBERNETES_EXEC_INFO</c> value client-go gives an exec credential plugin: an ExecCredential of the plugin's
/// apiVersion whose <c>spec.interactive</c> is false (a CNI plugin has no terminal to lend it) and, with
/// <c>provideClusterInfo</c>, whose <c>spec.cluster</c> describes the current context's cluster with the CA as bytes
/// (read from <c>certificate-authority</c> when only a file is given) and the cluster's exec extension as
/// <c>config</c>. Keys are client-go's, in its order; empty optional fields are left out, as it leaves them out.
/// </summary>
internal static class ExecInfo
{
    public const string EnvironmentVariable = "KUBERNETES_EXEC_INFO";

    private const string CertificateAuthorityRemedy = "fix the cluster's certificate-authority(-data) in the kubeconfig, or drop provideClusterInfo if the plugin does not need it";

    public static string Json(ExecPluginConfig config)
    {
        // A context without a cluster gives an empty one here; the client library refuses such a context right after.
        var cluster = config.Exec.ProvideClusterInfo ? config.Cluster ?? new ClusterEndpoint() : null;
        var certificateAuthority = cluster is null ? null : CertificateAuthority(cluster, config.KubeconfigPath);
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = Plexus.Cni.Json.MinimalJsonEncoder.Instance }))
        {
            json.WriteStartObject();
            json.WriteString("kind", "ExecCredential");
            json.WriteString("apiVersion", config.Exec.ApiVersion);
            json.WriteStartObject("spec");
            if (cluster is not null)
            {
                WriteCluster(json, cluster, certificateAuthority);
            }
            json.WriteBoolean("interactive", false);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteCluster(Utf8JsonWriter json, ClusterEndpoint cluster, byte[]? certificateAuthority)
    {
        var extra = cluster as KubeconfigClusterEndpoint;
        json.WriteStartObject("cluster");
        json.WriteString("server", cluster.Server ?? "");
        WriteUnlessEmpty(json, "tls-server-name", cluster.TlsServerName);
        if (cluster.SkipTlsVerify)
        {
            json.WriteBoolean("insecure-skip-tls-verify", true);
        }
        if (certificateAuthority is { Length: > 0 })
        {
            json.WriteBase64String("certificate-authority-data", certificateAuthority);
        }
        WriteUnlessEmpty(json, "proxy-url", extra?.ProxyUrl);
        if (extra?.DisableCompression == true)
        {
            json.WriteBoolean("disable-compression", true);
        }
        if (extra?.ExecExtensionJson is { } extension)
        {
            json.WritePropertyName("config");
            json.WriteRawValue(extension);
        }
        json.WriteEndObject();
    }

    private static void WriteUnlessEmpty(Utf8JsonWriter json, string key, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            json.WriteString(key, value);
        }
    }

    // The data when given (it wins over the file, as in client-go), else the file's bytes, relative to the kubeconfig.
    private static byte[]? CertificateAuthority(ClusterEndpoint cluster, string kubeconfigPath)
    {
        if (!string.IsNullOrEmpty(cluster.CertificateAuthorityData))
        {
            try
            {
                return Convert.FromBase64String(cluster.CertificateAuthorityData);
            }
            catch (FormatException)
            {
                throw Failed(kubeconfigPath, "the cluster's certificate-authority-data, which its exec credential plugin is given (provideClusterInfo), is not valid base64",
                    CertificateAuthorityRemedy);
            }
        }
        if (string.IsNullOrEmpty(cluster.CertificateAuthority))
        {
            return null;
        }
        var path = cluster.CertificateAuthority;
        try
        {
            path = Path.GetFullPath(path, Path.GetDirectoryName(Path.GetFullPath(kubeconfigPath))!);
            return File.ReadAllBytes(path);
        }
        // ArgumentException: a NUL in the path, which no file has.
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw Failed(kubeconfigPath,
                $"the cluster's certificate-authority {path.Replace("\0", "\\0", StringComparison.Ordinal)}, which its exec credential plugin is given (provideClusterInfo), cannot be read: {e.Message}",
                CertificateAuthorityRemedy);
        }
    }
}
