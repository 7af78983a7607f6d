using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Plexus.Cni.IO;
using Plexus.NodeAgent.IO;

namespace Plexus.NodeAgent.Kubeconfig;

/// <summary>Where the service-account credentials are and where the generated kubeconfig goes.</summary>
public sealed record KubeconfigOptions
{
    public const string DefaultServiceAccountDir = "/var/run/secrets/kubernetes.io/serviceaccount";

    public string ServiceAccountDir { get; init; } = DefaultServiceAccountDir;

    /// <summary>Path the agent writes the kubeconfig to.</summary>
    public required string OutputPath { get; init; }

    /// <summary>API server URL; null when the agent does not run in a cluster.</summary>
    public string? Server { get; init; }

    public string TokenPath => Path.Combine(ServiceAccountDir, "token");

    public string CaPath => Path.Combine(ServiceAccountDir, "ca.crt");
}

/// <summary>
/// Keeps the plugin's kubeconfig in step with the mounted service-account token and CA: rewritten
/// (atomically, 0600) only when the content changes; an unchanged file only gets its mode put right. Without an API
/// server it does nothing; with one, credentials that are missing or unusable (a CA that is not a PEM certificate)
/// leave the kubeconfig as it is with a warning, once per problem: the watch retries when the files change.
/// </summary>
public sealed class KubeconfigRefresher(KubeconfigOptions options, AgentLog log)
{
    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode DirMode = FileMode | UnixFileMode.UserExecute;

    private string? _warned;

    public KubeconfigOptions Options => options;

    /// <summary>True when the kubeconfig was (re)written.</summary>
    public bool Refresh(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (options.Server is null)
        {
            return false;
        }
        var (content, problem) = Render(options.Server);
        if (problem is not null)
        {
            if (problem != _warned)
            {
                log.Warn($"{problem}; kubeconfig {options.OutputPath} not written, so ADDs of pods fail until it is (retried when {options.ServiceAccountDir} changes)");
            }
            _warned = problem;
            return false;
        }
        _warned = null;
        if (File.Exists(options.OutputPath) && File.ReadAllBytes(options.OutputPath).AsSpan().SequenceEqual(content))
        {
            if (FileModeStore.Enforce(options.OutputPath, FileMode, cancellationToken) is { } was)
            {
                log.Warn($"kubeconfig {options.OutputPath} is up to date; set its mode to {FileModeStore.Octal(FileMode)} (was {FileModeStore.Octal(was)}): it holds a token");
            }
            return false;
        }
        var dir = Path.GetDirectoryName(Path.GetFullPath(options.OutputPath))!;
        if (!Directory.Exists(dir))
        {
            AtomicFile.EnsureDirectory(dir, DirMode);
        }
        AtomicFile.WriteAllBytes(options.OutputPath, content!, FileMode);
        log.Info($"wrote kubeconfig {options.OutputPath} from service account {options.ServiceAccountDir}");
        return true;
    }

    // The kubeconfig's bytes, or what is wrong with the credentials (never their content).
    private (byte[]? Content, string? Problem) Render(string server)
    {
        if (!File.Exists(options.TokenPath) || !File.Exists(options.CaPath))
        {
            return (null, $"no service-account token and ca.crt in {options.ServiceAccountDir} (yet)");
        }
        string token;
        byte[] ca;
        try
        {
            token = File.ReadAllText(options.TokenPath);
            ca = File.ReadAllBytes(options.CaPath);
        }
        catch (IOException e)
        {
            // The kubelet swaps the projected volume's ..data link; the next event retries.
            return (null, $"cannot read service-account credentials in {options.ServiceAccountDir}: {e.Message}");
        }
        if (token.Trim().Length == 0)
        {
            return (null, $"service-account token {options.TokenPath} is empty");
        }
        if (!HoldsCertificate(ca))
        {
            return (null, $"service-account CA {options.CaPath} holds no PEM certificate");
        }
        return (Encoding.UTF8.GetBytes(KubeconfigRenderer.Render(server, ca, token)), null);
    }

    // What the plugin will load from certificate-authority-data: a garbage CA fails every ADD there, far from its cause.
    private static bool HoldsCertificate(byte[] ca)
    {
        try
        {
            var certificates = new X509Certificate2Collection();
            try
            {
                certificates.ImportFromPem(Encoding.UTF8.GetString(ca));
                return certificates.Count > 0;
            }
            finally
            {
                // Each holds a native handle; a watch that refreshes for months must not wait for the GC to free them.
                foreach (var certificate in certificates)
                {
                    certificate.Dispose();
                }
            }
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}
