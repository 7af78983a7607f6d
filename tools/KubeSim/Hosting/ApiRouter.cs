using Microsoft.AspNetCore.Http;
using Plexus.KubeSim.Api;
using Plexus.KubeSim.Discovery;

namespace Plexus.KubeSim.Hosting;

/// <summary>
/// The one request handler: health and version (open, like a cluster with anonymous access to
/// public info), then bearer-token authentication, discovery, OpenAPI, the simulator's control
/// endpoints, and resource requests (counted, and subject to injected faults).
/// </summary>
internal sealed class ApiRouter(SimState state, ControlEndpoints control, Func<string> serverAddress)
{
    private static ApiException NotFoundGeneric => new(404, "NotFound", "the server could not find the requested resource", []);

    public async Task HandleAsync(HttpContext http)
    {
        try
        {
            await RouteAsync(http);
        }
        catch (ApiException error) when (!http.Response.HasStarted)
        {
            await HttpIo.WriteStatusAsync(http, error);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The client went away.
        }
        catch (Exception e)
        {
            // A simulator bug: say so on stderr, and in the answer when it has not started yet.
            await Console.Error.WriteLineAsync($"kube-sim: {http.Request.Method} {http.Request.Path}{http.Request.QueryString} failed: {e}");
            if (http.Response.HasStarted)
            {
                http.Abort();
                return;
            }
            await HttpIo.WriteStatusAsync(http, new ApiException(500, "InternalError", $"kube-sim internal error: {e.Message}"));
        }
    }

    private Task RouteAsync(HttpContext http)
    {
        var path = http.Request.Path.Value ?? "/";
        if (path is "/healthz" or "/readyz" or "/livez" || path.StartsWith("/healthz/", StringComparison.Ordinal)
            || path.StartsWith("/readyz/", StringComparison.Ordinal) || path.StartsWith("/livez/", StringComparison.Ordinal))
        {
            return HttpIo.WriteTextAsync(http, 200, "ok");
        }
        if (path == "/version")
        {
            return HttpIo.WriteAsync(http, 200, DiscoveryDocuments.Version(state.Options.KubernetesVersion));
        }
        var user = Authenticate(http.Request.Headers.Authorization.ToString()) ?? throw new ApiException(401, "Unauthorized", "Unauthorized");
        var parts = path.Trim('/').Split('/');
        switch (parts)
        {
            case ["api"]:
                return HttpIo.WriteAsync(http, 200, DiscoveryDocuments.ApiVersions(serverAddress()));
            case ["apis"]:
                return HttpIo.WriteAsync(http, 200, DiscoveryDocuments.GroupList(state.Catalog));
            case ["apis", var group]:
                return HttpIo.WriteAsync(http, 200, DiscoveryDocuments.Group(state.Catalog, group) ?? throw NotFoundGeneric);
            case ["api", var version]:
                return HttpIo.WriteAsync(http, 200, DiscoveryDocuments.ResourceList(state.Catalog, "", version) ?? throw NotFoundGeneric);
            case ["apis", var group, var version]:
                return HttpIo.WriteAsync(http, 200, DiscoveryDocuments.ResourceList(state.Catalog, group, version) ?? throw NotFoundGeneric);
            case ["openapi", ..]:
                return HttpIo.WriteAsync(http, 200, OpenApiDocuments.Document(state.Catalog, state.Options.KubernetesVersion, parts[1..])
                    ?? throw NotFoundGeneric);
            case ["kubesim", ..]:
                return control.HandleAsync(http, parts[1..]);
        }
        var apiPath = ApiPath.Parse(path) ?? throw NotFoundGeneric;
        return ResourceAsync(http, apiPath, user);
    }

    /// <summary>The simulator's own token is the administrator; a service account token is its service account.</summary>
    private UserInfo? Authenticate(string authorization)
    {
        if (state.Tokens.IsAuthorized(authorization)) return UserInfo.Administrator;
        const string prefix = "Bearer ";
        return authorization.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
            ? state.ServiceAccountTokens.Authenticate(authorization[prefix.Length..].Trim(), state.Clock.GetUtcNow(), state.FindCore)
            : null;
    }

    private static bool ServesSubresource(ResourceType type, ApiPath path) => path.Name is not null && path.Subresource switch
    {
        "status" => type.HasStatus,
        "token" => type is { Group: "", Kind: "ServiceAccount" },
        _ => false,
    };

    private async Task ResourceAsync(HttpContext http, ApiPath path, UserInfo user)
    {
        var type = state.Catalog.Find(path.Group, path.Version, path.Resource) ?? throw NotFoundGeneric;
        if ((path.Subresource is not null && !ServesSubresource(type, path))
            || (!type.Namespaced && path.Namespace is not null)
            || (type.Namespaced && path.Namespace is null && (path.Name is not null || !HttpMethods.IsGet(http.Request.Method))))
        {
            throw NotFoundGeneric;
        }
        var verb = Verb(http, path);
        state.Counters.Record(verb, type.Group, path.Subresource is null ? type.Plural : $"{type.Plural}/{path.Subresource}");
        await InjectFaultsAsync(http.RequestAborted);
        var request = new ApiRequest(http, state, type, path, verb, user);
        await (verb switch
        {
            "create" when path.Subresource == "token" => TokenRequestHandler.CreateAsync(request),
            _ when path.Subresource == "token" => throw ApiException.MethodNotAllowed("the server does not allow this method on the requested resource"),
            "create" when type.IsReview => ReviewHandler.CreateAsync(request),
            _ when type.IsReview => throw ApiException.MethodNotAllowed("the server does not allow this method on the requested resource"),
            "get" => ReadHandler.GetAsync(request),
            "list" => ReadHandler.ListAsync(request),
            "watch" => WatchHandler.WatchAsync(request),
            "create" => WriteHandler.CreateAsync(request),
            "update" => WriteHandler.UpdateAsync(request),
            "patch" => PatchHandler.PatchAsync(request),
            "delete" => WriteHandler.DeleteAsync(request),
            "deletecollection" => WriteHandler.DeleteCollectionAsync(request),
            _ => throw ApiException.MethodNotAllowed($"the server does not allow this method on the requested resource"),
        });
    }

    private async Task InjectFaultsAsync(CancellationToken cancel)
    {
        var latency = state.Faults.Latency;
        if (latency > TimeSpan.Zero)
        {
            await Task.Delay(latency, state.Clock, cancel);
        }
        switch (state.Faults.NextError())
        {
            case 429:
                throw new ApiException(429, "TooManyRequests", "Too many requests, please try again later.",
                    new() { ["retryAfterSeconds"] = 1 });
            case 500:
                throw new ApiException(500, "InternalError", "Internal error occurred: injected fault (kube-sim)");
        }
    }

    private static string Verb(HttpContext http, ApiPath path)
    {
        var method = http.Request.Method;
        var named = path.Name is not null;
        var watch = http.Request.Query["watch"].ToString() is "true" or "1";
        return method switch
        {
            _ when HttpMethods.IsGet(method) => watch ? "watch" : named ? "get" : "list",
            // A POST names an object only to create its serviceaccounts/token subresource.
            _ when HttpMethods.IsPost(method) && (named ? path.Subresource == "token" : path.Subresource is null) => "create",
            _ when HttpMethods.IsPut(method) && named => "update",
            _ when HttpMethods.IsPatch(method) && named => "patch",
            _ when HttpMethods.IsDelete(method) && path.Subresource is null => named ? "delete" : "deletecollection",
            _ => "unsupported",
        };
    }
}
