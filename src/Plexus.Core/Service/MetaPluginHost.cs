using Plexus.Cni.Invoke;
using Plexus.Core.Netns;
using Plexus.Core.Ports;

namespace Plexus.Core.Service;

/// <summary>The effects the meta-plugin uses, supplied by the composition root (or a test).</summary>
public sealed record MetaPluginHost
{
    /// <summary>Runs delegate plugins.</summary>
    public required IPluginExecutor Executor { get; init; }

    /// <summary>
    /// Creates the API ports for a <c>kubeconfig</c> path (empty: in-cluster env); null means no
    /// Kubernetes. Called only by verbs that need the API, at most once per invocation.
    /// </summary>
    public Func<string?, KubernetesPorts?> ConnectKubernetes { get; init; } = _ => null;

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Where progress and warnings go (the runtime shows a plugin's stderr).</summary>
    public TextWriter Log { get; init; } = TextWriter.Null;

    internal IPodNetwork PodNetwork { get; init; } = new NetnsPodNetwork();
}
