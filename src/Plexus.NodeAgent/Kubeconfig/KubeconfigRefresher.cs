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
/// (atomically, 0600) only when the content changes; an unchanged file only gets its mode put right. Without credentials it does nothing.
/// </summary>
public sealed class KubeconfigRefresher(KubeconfigOptions options, AgentLog log)
{
    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode DirMode = FileMode | UnixFileMode.UserExecute;

    public KubeconfigOptions Options => options;

    /// <summary>True when the kubeconfig was (re)written.</summary>
    public bool Refresh(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (options.Server is null || !File.Exists(options.TokenPath) || !File.Exists(options.CaPath))
        {
            return false;
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
            log.Warn($"cannot read service-account credentials in {options.ServiceAccountDir}: {e.Message}");
            return false;
        }
        if (token.Trim().Length == 0)
        {
            log.Warn($"service-account token {options.TokenPath} is empty; kubeconfig not written");
            return false;
        }
        var content = Encoding.UTF8.GetBytes(KubeconfigRenderer.Render(options.Server, ca, token));
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
        AtomicFile.WriteAllBytes(options.OutputPath, content, FileMode);
        log.Info($"wrote kubeconfig {options.OutputPath} from service account {options.ServiceAccountDir}");
        return true;
    }
}
