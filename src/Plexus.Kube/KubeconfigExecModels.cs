using k8s.KubeConfigModels;

namespace Plexus.Kube;

/// <summary>
/// A cluster entry with the fields client-go passes to an exec credential plugin (<c>provideClusterInfo</c>) that the
/// client library's model lacks. <see cref="KubeconfigReader"/> creates this type for every cluster.
/// </summary>
internal sealed class KubeconfigClusterEndpoint : ClusterEndpoint
{
    /// <summary>The extension client-go reserves for exec plugins: the cluster's per-plugin configuration.</summary>
    public const string ExecExtensionName = "client.authentication.k8s.io/exec";

    /// <summary><c>proxy-url</c>, as written.</summary>
    public string? ProxyUrl { get; set; }

    /// <summary><c>disable-compression</c>.</summary>
    public bool DisableCompression { get; set; }

    /// <summary>
    /// The <c>extension</c> value of the last <c>extensions</c> item named <see cref="ExecExtensionName"/>, as JSON
    /// (client-go keeps the last of repeated names); null when there is none or its value is null.
    /// </summary>
    public byte[]? ExecExtensionJson { get; set; }
}

/// <summary>A user's <c>exec</c> entry with <c>interactiveMode</c>, which the client library's model lacks.</summary>
internal sealed class KubeconfigExec : ExternalExecution
{
    /// <summary><c>Never</c>, <c>IfAvailable</c> or <c>Always</c>, as written; null when not given.</summary>
    public string? InteractiveMode { get; set; }
}
