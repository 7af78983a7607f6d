using System.Security.Cryptography.X509Certificates;
using k8s;
using k8s.KubeConfigModels;
using Plexus.Cni;
using Plexus.Core.Ports;
using YamlDotNet.Core;

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
        var settings = Configure(kubeconfigPath, getEnvironmentVariable, serviceAccountDir);
        if (settings is null)
        {
            return null;
        }
        settings.Client.HttpClientTimeout = TimeSpan.FromSeconds(30);
        var api = KubeRawApi.Create(settings, kubeconfigPath, sendOnCallingThread, observer);
        return new KubernetesPorts(new KubePodClient(api, time), new KubeNadClient(api))
        {
            ConnectAhead = api.ConnectAhead,
            CredentialExpiry = settings.CredentialExpiry,
        };
    }

    internal static KubeClientSettings? Configure(string? kubeconfigPath, Func<string, string?> getEnvironmentVariable, string serviceAccountDir) =>
        !string.IsNullOrEmpty(kubeconfigPath)
            ? FromKubeconfig(kubeconfigPath)
            : FromInCluster(getEnvironmentVariable, serviceAccountDir) is { } inCluster ? new KubeClientSettings(inCluster) : null;

    /// <remarks>
    /// Errors say which stage failed and never carry the library's text or inner exception for the file's content:
    /// YAML errors quote the offending text (an alias like <c>*token</c>) and exec errors the plugin's output.
    /// </remarks>
    internal static KubeClientSettings FromKubeconfig(string path)
    {
        if (Directory.Exists(path))
        {
            throw InvalidKubeconfig(path, "it is a directory, not a file");
        }
        K8SConfiguration kubeconfig;
        try
        {
            kubeconfig = KubeconfigReader.Read(File.ReadAllText(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw InvalidKubeconfig(path, e.Message);
        }
        catch (k8s.Exceptions.KubeConfigException e)
        {
            // KubeconfigReader's own words: which key has the wrong shape, never its value.
            throw InvalidKubeconfig(path, e.Message);
        }
        // Their messages quote the text around the error (an undefined alias is the value itself): only the place is given.
        catch (AnchorNotFoundException)
        {
            throw InvalidKubeconfig(path, "it is not valid YAML: a value starts with * (an alias) but no &anchor of that name is defined; quote such values");
        }
        catch (YamlException e)
        {
            throw InvalidKubeconfig(path, $"it is not valid YAML (line {e.Start.Line}, column {e.Start.Column})");
        }
        // Relative certificate and key paths are relative to the kubeconfig's own directory.
        kubeconfig.FileName = Path.GetFullPath(path);
        // Checked before the exec plugin runs, as client-go validates the cluster before any request asks for a credential.
        var proxy = Proxy(kubeconfig, path);
        DateTimeOffset? credentialExpiry = null;
        if (SelectedUser(kubeconfig) is { UserCredentials: { ExternalExecution: { } exec } credentials } user)
        {
            var credential = ExecCredentialExecutor.Run(new ExecPluginConfig(exec, path, user.Name, SelectedCluster(kubeconfig)?.ClusterEndpoint), CancellationToken.None);
            credentialExpiry = credential.ExpiresAt;
            // From here on the library sees a plain token and/or certificate, so it never runs the plugin itself.
            (credentials.ExternalExecution, credentials.Token) = (null, credential.Token);
            credentials.ClientCertificateData = Base64(credential.ClientCertificatePem) ?? credentials.ClientCertificateData;
            credentials.ClientKeyData = Base64(credential.ClientKeyPem) ?? credentials.ClientKeyData;
        }
        CheckServer(kubeconfig, path);
        try
        {
            return new KubeClientSettings(KubernetesClientConfiguration.BuildConfigFromConfigObject(kubeconfig), proxy, credentialExpiry);
        }
        // A broken file surfaces as whatever is hit first: KubeConfigException, FormatException (bad base64),
        // CryptographicException (bad certificate bytes), even NullReferenceException in the client library (a context
        // without a name). Each is this file's problem, never a plugin crash. Their messages name contexts, users and
        // paths, not credentials (the server URL, which may carry user:password@, is checked above).
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw InvalidKubeconfig(path, e.Message);
        }
    }

    private static CniException InvalidKubeconfig(string path, string what) => new(CniErrorCode.InvalidNetworkConfig,
        $"cannot load kubeconfig {path}: {what}", "fix the \"kubeconfig\" path in the plexus config or the file it names");

    // The user and cluster of the current context, matched as the client library matches them.
    private static User? SelectedUser(K8SConfiguration kubeconfig) =>
        SelectedContext(kubeconfig)?.User is { } user
            ? kubeconfig.Users?.FirstOrDefault(u => string.Equals(u.Name, user, StringComparison.OrdinalIgnoreCase))
            : null;

    private static Cluster? SelectedCluster(K8SConfiguration kubeconfig) =>
        SelectedContext(kubeconfig)?.Cluster is { } cluster
            ? kubeconfig.Clusters?.FirstOrDefault(c => string.Equals(c.Name, cluster, StringComparison.OrdinalIgnoreCase))
            : null;

    private static ContextDetails? SelectedContext(K8SConfiguration kubeconfig) =>
        kubeconfig.Contexts?.FirstOrDefault(c => string.Equals(c.Name, kubeconfig.CurrentContext, StringComparison.OrdinalIgnoreCase))?.ContextDetails;

    /// <summary>The library quotes a server URL it cannot use, user:password@ included: the field is named here instead.</summary>
    private static void CheckServer(K8SConfiguration kubeconfig, string path)
    {
        var cluster = SelectedCluster(kubeconfig);
        var server = cluster?.ClusterEndpoint?.Server;
        if (!string.IsNullOrEmpty(server)
            && !(Uri.TryCreate(server, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)))
        {
            throw InvalidKubeconfig(path, $"the server of cluster \"{cluster!.Name}\" is not an absolute https:// or http:// URL");
        }
    }

    /// <summary>The current context's cluster's <c>proxy-url</c>; errors name the cluster but never quote the URL (its user-info may be a password).</summary>
    private static KubeProxy? Proxy(K8SConfiguration kubeconfig, string path)
    {
        var cluster = SelectedCluster(kubeconfig);
        if (cluster?.ClusterEndpoint is not KubeconfigClusterEndpoint { ProxyUrl: { Length: > 0 } proxyUrl })
        {
            return null;
        }
        try
        {
            return KubeProxy.Parse(proxyUrl, $"proxy-url of cluster \"{cluster.Name}\" in kubeconfig {path}");
        }
        catch (FormatException e)
        {
            throw InvalidKubeconfig(path, $"the proxy-url of cluster \"{cluster.Name}\" {e.Message}");
        }
    }

    private static string? Base64(string? pem) => pem is null ? null : Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(pem));

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
