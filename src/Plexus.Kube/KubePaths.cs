namespace Plexus.Kube;

/// <summary>API paths of the objects Plexus touches; names are escaped because they come from CNI_ARGS and annotations.</summary>
internal static class KubePaths
{
    public static string Pod(string @namespace, string name) => $"api/v1/namespaces/{E(@namespace)}/pods/{E(name)}";

    public static string PodStatus(string @namespace, string name) => Pod(@namespace, name) + "/status";

    public static string Events(string @namespace) => $"api/v1/namespaces/{E(@namespace)}/events";

    public static string Nad(string @namespace, string name) =>
        $"apis/k8s.cni.cncf.io/v1/namespaces/{E(@namespace)}/network-attachment-definitions/{E(name)}";

    private static string E(string segment) => Uri.EscapeDataString(segment);
}
