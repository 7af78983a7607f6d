namespace Plexus.KubeSim.Hosting;

/// <summary>Who a request authenticated as (authentication.k8s.io UserInfo): what SelfSubjectReview answers.</summary>
internal sealed record UserInfo(string Username, string Uid, IReadOnlyList<string> Groups, IReadOnlyDictionary<string, string> Extra)
{
    /// <summary>The holder of the simulator's own token: a cluster administrator, as a kubeadm admin.conf user is.</summary>
    public static UserInfo Administrator { get; } =
        new("kube-sim-admin", "", ["system:masters", "system:authenticated"], new Dictionary<string, string>());
}
