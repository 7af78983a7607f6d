using System.Text.Json.Nodes;
using Plexus.KubeSim.Discovery;

namespace Plexus.KubeSim.Api.Protobuf;

/// <summary>
/// Create and update bodies sent as <c>application/vnd.kubernetes.protobuf</c> (client-go's typed
/// clients, so kubectl's generators and auth can-i, send built-in kinds that way and never retry as
/// JSON): the "k8s\0" prefix, then a runtime.Unknown (typeMeta 1 {apiVersion 1, kind 2}, raw 2,
/// contentEncoding 3, contentType 4) whose raw bytes are the object's message. Decoded into the
/// same JSON a JSON client would have sent, for the kinds <see cref="Messages"/> lists.
/// </summary>
internal static class ProtobufBody
{
    public const string MediaType = "application/vnd.kubernetes.protobuf";

    private static readonly byte[] Magic = "k8s\0"u8.ToArray();

    // runtime.TypeMeta (apiVersion 1, kind 2; metav1.TypeMeta numbers them the other way round).
    private static readonly ProtoMessage TypeMeta = new("TypeMeta", ProtoMessage.Str(1, "apiVersion"), ProtoMessage.Str(2, "kind"));

    private static readonly Dictionary<(string GroupVersion, string Kind), ProtoMessage> Messages = new()
    {
        [("v1", "Namespace")] = CoreMessages.Namespace,
        [("v1", "ConfigMap")] = CoreMessages.ConfigMap,
        [("v1", "Secret")] = CoreMessages.Secret,
        [("v1", "ServiceAccount")] = CoreMessages.ServiceAccount,
        [("v1", "Service")] = CoreMessages.Service,
        [("v1", "Pod")] = PodMessages.Pod,
        [("v1", "ResourceQuota")] = CoreMessages.ResourceQuota,
        [("v1", "Event")] = CoreMessages.Event,
        [("v1", "Endpoints")] = CoreMessages.Endpoints,
        [("v1", "Node")] = CoreMessages.Node,
        [("apps/v1", "Deployment")] = AppsMessages.Deployment,
        [("apps/v1", "DaemonSet")] = AppsMessages.DaemonSet,
        [("apps/v1", "ReplicaSet")] = AppsMessages.ReplicaSet,
        [("coordination.k8s.io/v1", "Lease")] = CoordinationMessages.Lease,
        [("events.k8s.io/v1", "Event")] = EventMessages.Event,
        [("batch/v1", "Job")] = BatchMessages.Job,
        [("batch/v1", "CronJob")] = BatchMessages.CronJob,
        [("policy/v1", "PodDisruptionBudget")] = PolicyMessages.PodDisruptionBudget,
        [("scheduling.k8s.io/v1", "PriorityClass")] = PolicyMessages.PriorityClass,
        [("networking.k8s.io/v1", "Ingress")] = NetworkingMessages.Ingress,
        [("rbac.authorization.k8s.io/v1", "Role")] = RbacMessages.Role,
        [("rbac.authorization.k8s.io/v1", "ClusterRole")] = RbacMessages.ClusterRole,
        [("rbac.authorization.k8s.io/v1", "RoleBinding")] = RbacMessages.RoleBinding,
        [("rbac.authorization.k8s.io/v1", "ClusterRoleBinding")] = RbacMessages.ClusterRoleBinding,
        [("authentication.k8s.io/v1", "TokenRequest")] = AuthenticationMessages.TokenRequest,
        [("authentication.k8s.io/v1", "SelfSubjectReview")] = AuthenticationMessages.SelfSubjectReview,
        [("authorization.k8s.io/v1", "SelfSubjectAccessReview")] = AuthorizationMessages.SelfSubjectAccessReview,
        [("authorization.k8s.io/v1", "SelfSubjectRulesReview")] = AuthorizationMessages.SelfSubjectRulesReview,
    };

    public static bool Decodes(ResourceType type) => type.IsBuiltin && Messages.ContainsKey((type.GroupVersion, type.Kind));

    /// <summary>
    /// The object as JSON; 400 saying what is wrong and where for anything that is not a well-formed
    /// message, 415 naming a field the simulator does not decode.
    /// </summary>
    public static JsonObject Decode(ResourceType type, ReadOnlyMemory<byte> body)
    {
        var message = Decodes(type)
            ? Messages[(type.GroupVersion, type.Kind)]
            : throw new ArgumentException($"{type.Kind} has no protobuf schema", nameof(type));
        JsonObject obj;
        ReadOnlyMemory<byte> raw;
        try
        {
            if (!body.Span.StartsWith(Magic)) throw new ProtobufException("the body does not start with the envelope's \"k8s\\x00\" prefix");
            (obj, raw) = Envelope(body[Magic.Length..]);
        }
        catch (ProtobufException e)
        {
            throw ApiException.BadRequest($"the object provided is unrecognized (must be of type {type.Kind}): protobuf: {e.Message}");
        }
        // An envelope naming another type is refused as a JSON body naming it would be; one naming none is the URL's type.
        ObjectLifecycle.CheckTypeMeta(type, obj);
        try
        {
            ProtoJson.Read(message, raw, obj, "");
        }
        catch (ProtobufUndecodedException e)
        {
            throw new ApiException(415, "UnsupportedMediaType", $"{e.Message}: send this {type.Kind} as JSON (kubectl create -f or apply -f)");
        }
        catch (ProtobufException e)
        {
            throw ApiException.BadRequest($"{type.Kind} in version \"{type.Version}\" cannot be handled as a {type.Kind}: protobuf: {e.Message}");
        }
        return obj;
    }

    private static (JsonObject TypeMeta, ReadOnlyMemory<byte> Raw) Envelope(ReadOnlyMemory<byte> unknown)
    {
        var typeMeta = new JsonObject();
        ReadOnlyMemory<byte> raw = default;
        foreach (var field in ProtoWire.Fields(unknown, "the envelope"))
        {
            if (field.Number is < 1 or > 3) continue;
            if (field.WireType != ProtoValue.LengthDelimitedType)
            {
                throw new ProtobufException(
                    $"the envelope's field {field.Number} arrived with wire type {field.WireType}, but it is sent with wire type 2");
            }
            if (field.Number == 1) ProtoJson.Read(TypeMeta, field.Bytes, typeMeta, "typeMeta");
            else if (field.Number == 2) raw = field.Bytes;
            else if (!field.Bytes.IsEmpty) throw new ProtobufException("a contentEncoding of the raw object is not supported");
        }
        return (typeMeta, raw);
    }
}
