using System.Security.Cryptography.X509Certificates;
using k8s;
using Plexus.Cni;
using Plexus.Core.Ports;

namespace Plexus.Kube;

/// <summary>
/// Builds the API client for one invocation: from <c>kubeconfig</c> when set, else from the
/// in-cluster service account when its env is present, else none (static delegates only).
/// The token is read from disk here, on every invocation, so a rotated token is always used.
/// </summary>
public static class KubeConnection
{
    public const string DefaultServiceAccountDir = "/var/run/secrets/kubernetes.io/serviceaccount";

    /// <summary>The ports, or null when there is no kubeconfig and no in-cluster env.</summary>
    /// <param name="sendOnCallingThread">Requests block the calling thread (for one-shot CNI processes).</param>
    /// <param name="observer">Told about every request (plexusd's metrics).</param>
    public static KubernetesPorts? TryCreate(
        string? kubeconfigPath,
        Func<string, string?> getEnvironmentVariable,
        TimeProvider time,
        string serviceAccountDir = DefaultServiceAccountDir,
        bool sendOnCallingThread = false,
        IKubeRequestObserver? observer = null)
    {
        var config = Configure(kubeconfigPath, getEnvironmentVariable, serviceAccountDir);
        if (config is null)
        {
            return null;
        }
        config.HttpClientTimeout = TimeSpan.FromSeconds(30);
        var api = KubeRawApi.Create(config, kubeconfigPath, sendOnCallingThread, observer);
        return new KubernetesPorts(new KubePodClient(api, time), new KubeNadClient(api)) { ConnectAhead = api.ConnectAhead };
    }

    internal static KubernetesClientConfiguration? Configure(string? kubeconfigPath, Func<string, string?> getEnvironmentVariable, string serviceAccountDir) =>
        !string.IsNullOrEmpty(kubeconfigPath)
            ? FromKubeconfig(kubeconfigPath)
            : FromInCluster(getEnvironmentVariable, serviceAccountDir);

    internal static KubernetesClientConfiguration FromKubeconfig(string path)
    {
        try
        {
            var kubeconfig = KubeconfigReader.Read(File.ReadAllText(path));
            // Relative certificate and key paths are relative to the kubeconfig's own directory.
            kubeconfig.FileName = Path.GetFullPath(path);
            return KubernetesClientConfiguration.BuildConfigFromConfigObject(kubeconfig);
        }
        // A broken file surfaces as whatever is hit first: KubeConfigException, YamlException, FormatException (bad
        // base64), CryptographicException (bad certificate bytes), even NullReferenceException in the client library
        // (a context without a name). Each is this file's problem, never a plugin crash.
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new CniException(CniErrorCode.InvalidNetworkConfig, $"cannot load kubeconfig {path}: {e.Message}",
                "fix the \"kubeconfig\" path in the plexus config or the file it names", e);
        }
    }

    internal static KubernetesClientConfiguration? FromInCluster(Func<string, string?> getEnv, string serviceAccountDir)
    {
        var host = getEnv("KUBERNETES_SERVICE_HOST");
        var port = getEnv("KUBERNETES_SERVICE_PORT");
        var tokenPath = Path.Combine(serviceAccountDir, "token");
        if (string.IsNullOrEmpty(host) || string.IsNullOrEmpty(port))
        {
            return null;
        }
        // In a pod but without its token: going on without Kubernetes would silently drop every network the pod
        // asks for, so refuse, as upstream does.
        if (!File.Exists(tokenPath))
        {
            throw new CniException(CniErrorCode.InvalidNetworkConfig,
                $"KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are set, but there is no service-account token at {tokenPath}",
                "mount the service account's token there, or set \"kubeconfig\" in the plexus config");
        }
        try
        {
            var config = new KubernetesClientConfiguration
            {
                Host = new UriBuilder("https", host, int.Parse(port, System.Globalization.CultureInfo.InvariantCulture)).Uri.ToString(),
                AccessToken = File.ReadAllText(tokenPath).Trim(),
            };
            var caPath = Path.Combine(serviceAccountDir, "ca.crt");
            if (File.Exists(caPath))
            {
                var ca = new X509Certificate2Collection();
                ca.ImportFromPemFile(caPath);
                config.SslCaCerts = ca;
            }
            return config;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or OverflowException
            or System.Security.Cryptography.CryptographicException)
        {
            throw new CniException(CniErrorCode.InvalidNetworkConfig, $"cannot use the in-cluster service account in {serviceAccountDir}: {e.Message}",
                "check KUBERNETES_SERVICE_HOST/PORT and the mounted token and ca.crt", e);
        }
    }
}
