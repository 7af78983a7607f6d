using System.Text.Json.Nodes;

namespace Plexus.KubeSim.Api;

/// <summary>
/// SelfSubjectAccessReview: the simulator authorizes nothing beyond the bearer token, so every
/// well-formed review is allowed (kubectl auth can-i answers "yes").
/// </summary>
internal static class ReviewHandler
{
    public static async Task CreateAsync(ApiRequest request)
    {
        var type = request.Type;
        var body = request.MediaType == ReviewProtobuf.MediaType
            ? ReviewProtobuf.Decode(await ReadBytesAsync(request))
            : await request.ReadObjectAsync();
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
        var answer = new JsonObject
        {
            ["kind"] = type.Kind,
            ["apiVersion"] = type.GroupVersion,
            ["metadata"] = new JsonObject { ["creationTimestamp"] = null },
            ["spec"] = spec!.DeepClone(),
            ["status"] = new JsonObject
            {
                ["allowed"] = true,
                ["reason"] = "kube-sim authorizes every authenticated request",
            },
        };
        await HttpIo.WriteAsync(request.Http, 201, answer);
    }

    private static async Task<byte[]> ReadBytesAsync(ApiRequest request)
    {
        using var buffer = new MemoryStream();
        await request.Http.Request.Body.CopyToAsync(buffer, request.Aborted);
        return buffer.ToArray();
    }
}
