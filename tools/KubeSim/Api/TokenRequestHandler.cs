using System.Text.Json.Nodes;
using Plexus.KubeSim.Discovery;
using Plexus.KubeSim.Hosting;

namespace Plexus.KubeSim.Api;

/// <summary>
/// POST serviceaccounts/NAME/token (kubectl create token): a token for an existing service account,
/// with kube-apiserver's defaults and checks (an hour unless asked, at least 10 minutes, at most
/// 2^32 seconds; the API server's audience unless others are named; bound to a Pod, Secret or Node
/// that exists, with the uid given).
/// </summary>
internal static class TokenRequestHandler
{
    private const long DefaultLifetimeSeconds = 3600;
    private const long MinimumLifetimeSeconds = 600;
    private const long MaximumLifetimeSeconds = uint.MaxValue;

    public static async Task CreateAsync(ApiRequest request)
    {
        var body = await request.ReadObjectAsync();
        ObjectLifecycle.CheckTypeMeta(request.BodyType, body);
        var ns = request.StoreNamespace;
        var name = request.Path.Name!;
        var serviceAccount = request.State.Store.Get(request.Type.StorageKey, ns, name)
            ?? throw ApiException.NotFound(request.Type.Plural, name);
        var spec = body["spec"] as JsonObject ?? [];
        var lifetime = spec["expirationSeconds"] is { } asked ? ObjectLifecycle.Number(asked) : DefaultLifetimeSeconds;
        if (lifetime < MinimumLifetimeSeconds || lifetime > MaximumLifetimeSeconds)
        {
            var problem = lifetime < MinimumLifetimeSeconds ? "may not specify a duration less than 10 minutes" : "may not specify a duration larger than 2^32 seconds";
            throw ApiException.Invalid(request.BodyType.Kind, "", [$"spec.expirationSeconds: Invalid value: {lifetime}: {problem}"], request.BodyType.Group);
        }
        var audiences = (spec["audiences"] as JsonArray ?? []).Select(ObjectLifecycle.Text).Where(a => a.Length > 0).ToList();
        if (audiences.Count == 0) audiences.Add(ServiceAccountTokens.Issuer);
        var reference = spec["boundObjectRef"] as JsonObject;
        var bound = reference is null ? null : BoundObject(request, reference, ns);
        var (token, expires) = request.State.ServiceAccountTokens.Issue(serviceAccount.Node, audiences, lifetime, bound, request.State.Clock.GetUtcNow());
        if (reference is not null) reference["uid"] = bound!["metadata"]!["uid"]!.DeepClone();
        var answer = new JsonObject
        {
            ["kind"] = request.BodyType.Kind,
            ["apiVersion"] = request.BodyType.GroupVersion,
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns, ["creationTimestamp"] = null },
            ["spec"] = new JsonObject
            {
                ["audiences"] = new JsonArray([.. audiences.Select(a => (JsonNode)a)]),
                ["expirationSeconds"] = lifetime,
                ["boundObjectRef"] = reference?.DeepClone(),
            },
            ["status"] = new JsonObject { ["token"] = token, ["expirationTimestamp"] = ObjectLifecycle.Timestamp(expires) },
        };
        await HttpIo.WriteAsync(request.Http, 201, answer);
    }

    /// <summary>The object a token is bound to, as kube-apiserver checks it: a v1 Pod or Secret in the namespace, or a Node.</summary>
    private static JsonObject BoundObject(ApiRequest request, JsonObject reference, string ns)
    {
        var kind = ObjectLifecycle.Text(reference["kind"]);
        var apiVersion = ObjectLifecycle.Text(reference["apiVersion"]);
        if (apiVersion != "v1" || kind is not ("Pod" or "Secret" or "Node"))
        {
            // schema.GroupVersionKind's String(): group/version, with an empty group for core.
            throw ApiException.BadRequest($"cannot bind token to object of type {(apiVersion.Contains('/') ? "" : "/")}{apiVersion}, Kind={kind}");
        }
        var name = ObjectLifecycle.Text(reference["name"]);
        var type = request.State.Catalog.FindByKind("v1", kind)!;
        var obj = request.State.FindCore(kind, ns, name) ?? throw ApiException.NotFound(type.Plural, name);
        var uid = ObjectLifecycle.Text(reference["uid"]);
        if (uid.Length > 0 && uid != ObjectLifecycle.Text(obj["metadata"]?["uid"]))
        {
            throw ApiException.Conflict(kind, name, cause:
                $"the UID in the bound object reference ({uid}) does not match the UID in record. The object might have been deleted and then recreated");
        }
        return obj;
    }
}
