namespace Plexus.KubeSim;

/// <summary>Manifests tests commonly need, as a cluster with Multus installed would have them.</summary>
public static class KnownManifests
{
    public const string NadGroup = "k8s.cni.cncf.io";
    public const string NadApiVersion = "k8s.cni.cncf.io/v1";
    public const string NadKind = "NetworkAttachmentDefinition";
    public const string NadPlural = "network-attachment-definitions";

    /// <summary>The NetworkAttachmentDefinition CRD (same names and schema shape as Multus's).</summary>
    public const string NetworkAttachmentDefinitionCrd = """
        {
          "apiVersion": "apiextensions.k8s.io/v1",
          "kind": "CustomResourceDefinition",
          "metadata": { "name": "network-attachment-definitions.k8s.cni.cncf.io" },
          "spec": {
            "group": "k8s.cni.cncf.io",
            "scope": "Namespaced",
            "names": {
              "plural": "network-attachment-definitions",
              "singular": "network-attachment-definition",
              "kind": "NetworkAttachmentDefinition",
              "shortNames": ["net-attach-def"]
            },
            "versions": [{
              "name": "v1",
              "served": true,
              "storage": true,
              "schema": { "openAPIV3Schema": {
                "type": "object",
                "properties": {
                  "apiVersion": { "type": "string" },
                  "kind": { "type": "string" },
                  "metadata": { "type": "object" },
                  "spec": { "type": "object", "properties": { "config": { "type": "string" } } }
                }
              } }
            }]
          }
        }
        """;
}
