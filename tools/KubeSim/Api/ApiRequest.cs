using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Plexus.KubeSim.Api.Protobuf;
using Plexus.KubeSim.Discovery;
using Plexus.KubeSim.Hosting;
using Plexus.KubeSim.Storage;

namespace Plexus.KubeSim.Api;

/// <summary>One resource request, resolved: the served type, the URL parts, the verb and who asks.</summary>
internal sealed record ApiRequest(HttpContext Http, SimState State, ResourceType Type, ApiPath Path, string Verb, UserInfo User)
{
    /// <summary>What the body holds: the resource's kind, or a TokenRequest for serviceaccounts/token.</summary>
    public ResourceType BodyType => Path.Subresource == "token" ? BuiltinResources.TokenRequest : Type;

    public string? Query(string name) => Http.Request.Query.TryGetValue(name, out var v) ? v.ToString() : null;

    public bool QueryFlag(string name) => Query(name) is "true" or "1";

    public bool DryRun => Query("dryRun") is { Length: > 0 } mode
        ? mode == "All" ? true : throw ApiException.BadRequest($"Invalid dry run value: {mode}; supported values: All")
        : false;

    public bool WantsTable => Http.Request.Headers.Accept.ToString().Contains("as=Table", StringComparison.Ordinal);

    /// <summary>The store's namespace key: "" for cluster-scoped resources.</summary>
    public string StoreNamespace => Type.Namespaced ? Path.Namespace ?? "" : "";

    public CancellationToken Aborted => Http.RequestAborted;

    /// <summary>The body's media type, lower case without parameters ("" when none was sent).</summary>
    public string MediaType => Http.Request.ContentType?.Split(';')[0].Trim().ToLowerInvariant() ?? "";

    /// <summary>
    /// The body as a JSON object. JSON is decoded for every kind (a missing Content-Type is taken as
    /// JSON, as the API server does) and protobuf for the built-in kinds <see cref="ProtobufBody"/>
    /// knows; anything else (YAML, CBOR, protobuf of other kinds) gets 415 saying what is accepted.
    /// </summary>
    public async Task<JsonObject> ReadObjectAsync()
    {
        var protobuf = ProtobufBody.Decodes(BodyType);
        if (protobuf && MediaType == ProtobufBody.MediaType)
        {
            using var buffer = new MemoryStream();
            await Http.Request.Body.CopyToAsync(buffer, Aborted);
            return ProtobufBody.Decode(BodyType, buffer.GetBuffer().AsMemory(0, (int)buffer.Length));
        }
        RequireJson(protobuf ? [HttpIo.Json, ProtobufBody.MediaType] : [HttpIo.Json]);
        var node = await ParseJsonAsync();
        return node as JsonObject ?? throw ApiException.BadRequest(
            $"the object provided is unrecognized (must be of type {BodyType.Kind}): expected a JSON object");
    }

    /// <summary>Any JSON body (delete options, patches: the patch handler checks their media types itself).</summary>
    public Task<JsonNode?> ReadJsonAsync()
    {
        if (Verb != "patch") RequireJson([HttpIo.Json]);
        return ParseJsonAsync();
    }

    private void RequireJson(string[] accepted)
    {
        if (MediaType is not ("" or HttpIo.Json)) throw ApiException.UnsupportedMediaType(MediaType, accepted);
    }

    private async Task<JsonNode?> ParseJsonAsync()
    {
        try
        {
            return await JsonNode.ParseAsync(Http.Request.Body, cancellationToken: Aborted);
        }
        catch (JsonException e)
        {
            throw ApiException.BadRequest(
                $"the object provided is unrecognized (must be of type {BodyType.Kind}): couldn't get version/kind; json parse error: {e.Message}");
        }
    }

    /// <summary>The object as served at the requested version (CRD versions share storage, conversion "None"; events convert).</summary>
    public byte[] Render(StoredObject obj)
    {
        if (Type.Conversion is not null)
        {
            return JsonSerializer.SerializeToUtf8Bytes(Type.FromStorage(obj.Node));
        }
        if (ObjectLifecycle.Text(obj.Node["apiVersion"]) == Type.GroupVersion)
        {
            return obj.Json;
        }
        var copy = obj.CloneNode();
        copy["apiVersion"] = Type.GroupVersion;
        return JsonSerializer.SerializeToUtf8Bytes(copy);
    }
}
