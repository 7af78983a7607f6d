namespace Plexus.KubeSim;

/// <summary>How to start the simulator; every field has a usable default for tests.</summary>
public sealed record KubeSimOptions
{
    /// <summary>TCP port on 127.0.0.1; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>The bearer token; generated when null and no token file exists.</summary>
    public string? Token { get; init; }

    /// <summary>A file holding the token, re-read when it changes (rotation); created (0600) when missing.</summary>
    public string? TokenFile { get; init; }

    /// <summary>Where objects persist across restarts; null keeps them in memory only.</summary>
    public string? StateDir { get; init; }

    /// <summary>Write a kubeconfig for this server here once listening.</summary>
    public string? KubeconfigOut { get; init; }

    /// <summary>How many changes are kept for watches resuming from a resourceVersion (older ones get 410).</summary>
    public int HistoryLimit { get; init; } = 1000;

    /// <summary>How long the rest of a paged list is kept for its continue tokens (etcd compacts after ~5 minutes; later ones get 410).</summary>
    public TimeSpan ContinueTtl { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How many paged lists' snapshots are kept at once; the oldest goes first (its continue token then gets 410).</summary>
    public int ContinueSnapshotLimit { get; init; } = 32;

    /// <summary>How often an idle watch that allows bookmarks gets one.</summary>
    public TimeSpan BookmarkInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The version /version reports (kubectl's version dispatcher reads it).</summary>
    public string KubernetesVersion { get; init; } = "v1.32.0";

    /// <summary>Create default, kube-system, kube-public and kube-node-lease like a fresh cluster.</summary>
    public bool CreateSystemNamespaces { get; init; } = true;

    public TimeProvider Clock { get; init; } = TimeProvider.System;
}
