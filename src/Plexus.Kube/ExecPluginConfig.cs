using k8s.KubeConfigModels;

namespace Plexus.Kube;

/// <summary>
/// An exec credential plugin as a kubeconfig configures it: the user entry's <c>exec</c>, the file (for errors and
/// relative paths), the user's name (for errors) and the current context's cluster (what <c>provideClusterInfo</c>
/// passes on; null when the context names none).
/// </summary>
internal sealed record ExecPluginConfig(ExternalExecution Exec, string KubeconfigPath, string? UserName = null, ClusterEndpoint? Cluster = null);
