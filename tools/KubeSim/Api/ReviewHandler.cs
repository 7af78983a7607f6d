using System.Text.Json.Nodes;
using Plexus.KubeSim.Hosting;

namespace Plexus.KubeSim.Api;

/// <summary>
/// SelfSubjectAccessReview and SelfSubjectRulesReview: the simulator authorizes nothing beyond the
/// bearer token (the API server's AlwaysAllow mode), so every well-formed access review is allowed
/// (kubectl auth can-i says "yes") and the rules are every verb on everything (auth can-i --list).
/// SelfSubjectReview answers who the token is (kubectl auth whoami).
/// </summary>
internal static class ReviewHandler
{
    private const string Reason = "kube-sim authorizes every authenticated request";

    public static async Task CreateAsync(ApiRequest request)
    {
        var body = await request.ReadObjectAsync();
        var answer = new JsonObject
        {
            ["kind"] = request.Type.Kind,
            ["apiVersion"] = request.Type.GroupVersion,
            ["metadata"] = new JsonObject { ["creationTimestamp"] = null },
        };
        if (request.Type.Kind == "SelfSubjectReview")
        {
            answer["status"] = new JsonObject { ["userInfo"] = UserInfoJson(request.User) };
        }
        else
        {
            var (spec, status) = request.Type.Kind == "SelfSubjectRulesReview" ? RulesReview(body) : AccessReview(request, body);
            answer["spec"] = spec;
            answer["status"] = status;
        }
        await HttpIo.WriteAsync(request.Http, 201, answer);
    }

    private static (JsonObject Spec, JsonObject Status) AccessReview(ApiRequest request, JsonObject body)
    {
        var type = request.Type;
        var spec = body["spec"] as JsonObject;
        var resource = spec?["resourceAttributes"] is JsonObject;
        var nonResource = spec?["nonResourceAttributes"] is JsonObject;
        if (resource == nonResource)
        {
            throw ApiException.Invalid(type.Kind, "", [resource
                ? "spec.nonResourceAttributes: Invalid value: \"object\": cannot be specified in combination with resourceAttributes"
                : "spec.resourceAttributes: Invalid value: \"null\": exactly one of nonResourceAttributes or resourceAttributes must be specified"],
                type.Group);
        }
        return ((JsonObject)spec!.DeepClone(), new JsonObject { ["allowed"] = true, ["reason"] = Reason });
    }

    // The registry answers with an empty spec, and refuses a review without a namespace before it looks at any rule.
    private static (JsonObject Spec, JsonObject Status) RulesReview(JsonObject body)
    {
        if (ObjectLifecycle.Text(body["spec"]?["namespace"]).Length == 0)
        {
            throw ApiException.BadRequest("no namespace on request");
        }
        var status = new JsonObject
        {
            ["resourceRules"] = new JsonArray(
                new JsonObject { ["verbs"] = Everything(), ["apiGroups"] = Everything(), ["resources"] = Everything() }),
            ["nonResourceRules"] = new JsonArray(new JsonObject { ["verbs"] = Everything(), ["nonResourceURLs"] = Everything() }),
            ["incomplete"] = false,
        };
        return ([], status);
    }

    private static JsonArray Everything() => ["*"];

    // authentication/v1 UserInfo: every field omitempty; extra values are lists.
    private static JsonObject UserInfoJson(UserInfo user)
    {
        var json = new JsonObject { ["username"] = user.Username };
        if (user.Uid.Length > 0) json["uid"] = user.Uid;
        json["groups"] = new JsonArray([.. user.Groups.Select(g => (JsonNode)g)]);
        if (user.Extra.Count > 0)
        {
            json["extra"] = new JsonObject(user.Extra.Select(e => KeyValuePair.Create(e.Key, (JsonNode?)new JsonArray(e.Value))));
        }
        return json;
    }
}
