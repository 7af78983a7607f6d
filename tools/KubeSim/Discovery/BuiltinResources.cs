namespace Plexus.KubeSim.Discovery;

/// <summary>The built-in resources the simulator serves (a subset of a real cluster's).</summary>
internal static class BuiltinResources
{
    public static IReadOnlyList<ResourceType> All { get; } =
    [
        Core("namespaces", "namespace", "Namespace", namespaced: false, ["ns"], hasStatus: true, generation: false),
        Core("pods", "pod", "Pod", namespaced: true, ["po"], hasStatus: true, generation: false, ["all"]),
        Core("events", "event", "Event", namespaced: true, ["ev"], generation: false),
        Core("nodes", "node", "Node", namespaced: false, ["no"], hasStatus: true, generation: false),
        Core("serviceaccounts", "serviceaccount", "ServiceAccount", namespaced: true, ["sa"], generation: false),
        Core("configmaps", "configmap", "ConfigMap", namespaced: true, ["cm"], generation: false),
        Core("secrets", "secret", "Secret", namespaced: true, [], generation: false),
        Core("services", "service", "Service", namespaced: true, ["svc"], hasStatus: true, generation: false, ["all"]),
        Core("endpoints", "endpoints", "Endpoints", namespaced: true, ["ep"], generation: false),
        Core("resourcequotas", "resourcequota", "ResourceQuota", namespaced: true, ["quota"], hasStatus: true, generation: false),
        Group("events.k8s.io", "v1", "events", "event", "Event", true, ["ev"], generation: false) with { Conversion = EventVersions.Conversion },
        Group("apps", "v1", "daemonsets", "daemonset", "DaemonSet", true, ["ds"], hasStatus: true, categories: ["all"]),
        Group("apps", "v1", "deployments", "deployment", "Deployment", true, ["deploy"], hasStatus: true, categories: ["all"]),
        Group("apps", "v1", "replicasets", "replicaset", "ReplicaSet", true, ["rs"], hasStatus: true, categories: ["all"]),
        Group("batch", "v1", "jobs", "job", "Job", true, [], hasStatus: true, categories: ["all"]),
        Group("batch", "v1", "cronjobs", "cronjob", "CronJob", true, ["cj"], hasStatus: true, categories: ["all"]),
        Group("policy", "v1", "poddisruptionbudgets", "poddisruptionbudget", "PodDisruptionBudget", true, ["pdb"], hasStatus: true),
        Group("scheduling.k8s.io", "v1", "priorityclasses", "priorityclass", "PriorityClass", false, ["pc"]),
        Group("networking.k8s.io", "v1", "ingresses", "ingress", "Ingress", true, ["ing"], hasStatus: true),
        Group("rbac.authorization.k8s.io", "v1", "roles", "role", "Role", true, [], generation: false),
        Group("rbac.authorization.k8s.io", "v1", "rolebindings", "rolebinding", "RoleBinding", true, [], generation: false),
        Group("rbac.authorization.k8s.io", "v1", "clusterroles", "clusterrole", "ClusterRole", false, [], generation: false),
        Group("rbac.authorization.k8s.io", "v1", "clusterrolebindings", "clusterrolebinding", "ClusterRoleBinding", false, [], generation: false),
        Group("apiextensions.k8s.io", "v1", "customresourcedefinitions", "customresourcedefinition", "CustomResourceDefinition",
            false, ["crd", "crds"], hasStatus: true),
        Group("coordination.k8s.io", "v1", "leases", "lease", "Lease", true, [], generation: false),
        Group("authentication.k8s.io", "v1", "selfsubjectreviews", "selfsubjectreview", "SelfSubjectReview",
            false, [], generation: false) with { IsReview = true },
        Group("authorization.k8s.io", "v1", "selfsubjectaccessreviews", "selfsubjectaccessreview", "SelfSubjectAccessReview",
            false, [], generation: false) with { IsReview = true },
        Group("authorization.k8s.io", "v1", "selfsubjectrulesreviews", "selfsubjectrulesreview", "SelfSubjectRulesReview",
            false, [], generation: false) with { IsReview = true },
    ];

    /// <summary>The body of a serviceaccounts/token request: a kind that is sent, never stored or listed.</summary>
    public static ResourceType TokenRequest { get; } =
        Group("authentication.k8s.io", "v1", "tokenrequests", "tokenrequest", "TokenRequest", false, [], generation: false);

    private static ResourceType Core(string plural, string singular, string kind, bool namespaced, string[] shortNames,
        bool hasStatus = false, bool generation = true, string[]? categories = null) =>
        Group("", "v1", plural, singular, kind, namespaced, shortNames, hasStatus, generation, categories);

    private static ResourceType Group(string group, string version, string plural, string singular, string kind,
        bool namespaced, string[] shortNames, bool hasStatus = false, bool generation = true, string[]? categories = null) =>
        new()
        {
            Group = group,
            Version = version,
            Plural = plural,
            Singular = singular,
            Kind = kind,
            Namespaced = namespaced,
            ShortNames = shortNames,
            HasStatus = hasStatus,
            TracksGeneration = generation,
            Categories = categories ?? [],
            IsBuiltin = true,
        };
}
