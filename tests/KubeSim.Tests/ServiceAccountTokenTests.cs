using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Plexus.KubeSim.Tests.Support;

namespace Plexus.KubeSim.Tests;

/// <summary>Service account tokens over HTTP: what is issued authenticates; anything altered, foreign or malformed is 401.</summary>
public sealed class ServiceAccountTokenTests
{
    [Fact]
    public async Task TokenRequest_Json_201TokenAuthenticates()
    {
        await using var sim = await KubeSimServer.StartAsync();
        sim.Create("""{"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"robot"}}""");

        var answer = await IssueAsync(sim, """{"apiVersion":"authentication.k8s.io/v1","kind":"TokenRequest","spec":{"expirationSeconds":7200}}""");

        Assert.Equal("TokenRequest", answer["kind"]!.GetValue<string>());
        Assert.Equal(7200, answer["spec"]!["expirationSeconds"]!.GetValue<long>());
        Assert.Equal(["https://kubernetes.default.svc.cluster.local"], answer["spec"]!["audiences"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Null(answer["spec"]!["boundObjectRef"]);
        Assert.Equal(HttpStatusCode.Created, await WhoamiAsync(sim, answer["status"]!["token"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("another subject in the claims")]
    [InlineData("signature of another simulator")]
    [InlineData("signature cut short")]
    [InlineData("another header")]
    [InlineData("two parts")]
    [InlineData("not base64")]
    [InlineData("empty")]
    public async Task AlteredOrForeignToken_401(string what)
    {
        await using var sim = await KubeSimServer.StartAsync();
        await using var other = await KubeSimServer.StartAsync();
        foreach (var server in new[] { sim, other })
        {
            server.Create("""{"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"robot"}}""");
            server.Create("""{"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"admin"}}""");
        }
        var token = (await IssueAsync(sim, "{}"))["status"]!["token"]!.GetValue<string>();
        var parts = token.Split('.');
        var forged = what switch
        {
            "another subject in the claims" => $"{parts[0]}.{Base64Url(Encoding.UTF8.GetString(FromBase64Url(parts[1])).Replace("robot", "admin"))}.{parts[2]}",
            "signature of another simulator" => (await IssueAsync(other, "{}"))["status"]!["token"]!.GetValue<string>(),
            "signature cut short" => token[..^4],
            "another header" => $"{Base64Url("""{"alg":"none"}""")}.{parts[1]}.{parts[2]}",
            "two parts" => $"{parts[0]}.{parts[1]}",
            "not base64" => $"{parts[0]}.{parts[1]}.%%%",
            _ => "",
        };

        Assert.Equal(HttpStatusCode.Created, await WhoamiAsync(sim, token));
        Assert.Equal(HttpStatusCode.Unauthorized, await WhoamiAsync(sim, forged));
    }

    [Theory]
    [InlineData("""{"spec":{"expirationSeconds":4294967296}}""", 422, "spec.expirationSeconds: Invalid value: 4294967296: may not specify a duration larger than 2^32 seconds")]
    [InlineData("""{"spec":{"boundObjectRef":{"kind":"ConfigMap","apiVersion":"v1","name":"c"}}}""", 400, "cannot bind token to object of type /v1, Kind=ConfigMap")]
    [InlineData("""{"spec":{"boundObjectRef":{"kind":"Pod","apiVersion":"apps/v1","name":"p"}}}""", 400, "cannot bind token to object of type apps/v1, Kind=Pod")]
    [InlineData("""{"apiVersion":"v1","kind":"ConfigMap"}""", 400, "the API version in the data (v1) does not match the expected API version (authentication.k8s.io/v1)")]
    [InlineData("[]", 400, "the object provided is unrecognized (must be of type TokenRequest): expected a JSON object")]
    public async Task TokenRequest_Refused_NothingIssued(string body, int code, string message)
    {
        await using var sim = await KubeSimServer.StartAsync();
        sim.Create("""{"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"robot"}}""");
        using var http = sim.CreateHttpClient();

        using var response = await http.PostAsync("api/v1/namespaces/default/serviceaccounts/robot/token",
            new StringContent(body, Encoding.UTF8, "application/json"));
        var status = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(code, (int)response.StatusCode);
        Assert.Contains(message, status["message"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    public async Task TokenSubresource_OtherVerbs_405(string method)
    {
        await using var sim = await KubeSimServer.StartAsync();
        sim.Create("""{"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"robot"}}""");
        using var http = sim.CreateHttpClient();

        using var response = await http.SendAsync(new HttpRequestMessage(new HttpMethod(method), "api/v1/namespaces/default/serviceaccounts/robot/token")
        {
            Content = method == "GET" ? null : new StringContent("{}", Encoding.UTF8, "application/json"),
        });

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    private static async Task<JsonNode> IssueAsync(KubeSimServer sim, string body)
    {
        using var http = sim.CreateHttpClient();
        using var response = await http.PostAsync("api/v1/namespaces/default/serviceaccounts/robot/token",
            new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    private static async Task<HttpStatusCode> WhoamiAsync(KubeSimServer sim, string token)
    {
        using var http = sim.CreateHttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.PostAsync("apis/authentication.k8s.io/v1/selfsubjectreviews",
            new StringContent("""{"apiVersion":"authentication.k8s.io/v1","kind":"SelfSubjectReview"}""", Encoding.UTF8, "application/json"));
        return response.StatusCode;
    }

    private static string Base64Url(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] FromBase64Url(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded + new string('=', (4 - padded.Length % 4) % 4));
    }
}
