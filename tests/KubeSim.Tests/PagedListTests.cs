using System.Text;
using System.Text.Json.Nodes;
using Plexus.KubeSim.Tests.Support;
using Plexus.Testing;
using static Plexus.KubeSim.Tests.ErrorAnswerTests;

namespace Plexus.KubeSim.Tests;

/// <summary>Paged lists (limit/continue) read one consistent snapshot, like the API server reading etcd at the first page's revision.</summary>
public sealed class PagedListTests
{
    private static CancellationToken Deadline() => new CancellationTokenSource(TimeSpan.FromSeconds(20)).Token;

    [Fact]
    public async Task Continue_ChangesAfterFirstPage_LaterPagesShowFirstPageStateAndResourceVersion()
    {
        await using var sim = await KubeSimServer.StartAsync();
        using var http = sim.CreateHttpClient();
        var ns = Seed(sim, "snap", 5);
        var path = $"api/v1/namespaces/{ns}/pods?limit=2";

        var first = await GetAsync(http, path);
        ChangeEveryWay(sim, ns);
        var second = await GetAsync(http, $"{path}&continue={Continue(first)}");
        var third = await GetAsync(http, $"{path}&continue={Continue(second)}");

        var version = Version(first);
        Assert.True(long.Parse(version) < sim.ResourceVersion);
        Assert.Equal(["p0", "p1"], Names(first));
        Assert.Equal(3, first["metadata"]!["remainingItemCount"]!.GetValue<long>());
        Assert.Equal(["p2", "p3"], Names(second));
        Assert.Equal(1, second["metadata"]!["remainingItemCount"]!.GetValue<long>());
        Assert.Null(second["items"]![1]!["metadata"]!["labels"]);
        Assert.Equal(["p4"], Names(third));
        Assert.Null(third["metadata"]!["continue"]);
        Assert.Null(third["metadata"]!["remainingItemCount"]);
        Assert.Equal([version, version], [Version(second), Version(third)]);
    }

    [Fact]
    public async Task Watch_FromPagedListResourceVersion_DeliversChangesMadeWhilePaging()
    {
        await using var sim = await KubeSimServer.StartAsync();
        using var client = KubeClients.Create(sim);
        using var http = sim.CreateHttpClient();
        var ns = Seed(sim, "missed", 5);
        var path = $"api/v1/namespaces/{ns}/pods?limit=2";
        var page = await GetAsync(http, path);
        ChangeEveryWay(sim, ns);
        while (page["metadata"]!["continue"] is not null)
        {
            page = await GetAsync(http, $"{path}&continue={Continue(page)}");
        }

        await using var watch = await HandWatch.StartAsync(client,
            $"api/v1/namespaces/{ns}/pods?watch=true&resourceVersion={Version(page)}", Deadline());
        var events = new[] { await watch.NextAsync(), await watch.NextAsync(), await watch.NextAsync() };

        Assert.Equal(["MODIFIED p3", "DELETED p4", "ADDED p5"],
            events.Select(e => $"{e!.Type} {e.Object.GetProperty("metadata").GetProperty("name").GetString()}"));
    }

    [Fact]
    public async Task Continue_SnapshotOlderThanTtl_410ExpiredWithInconsistentContinueToken()
    {
        var clock = new ManualTimeProvider();
        await using var sim = await KubeSimServer.StartAsync(new KubeSimOptions { Clock = clock, ContinueTtl = TimeSpan.FromMinutes(5) });
        using var http = sim.CreateHttpClient();
        var ns = Seed(sim, "ttl", 5);
        var path = $"api/v1/namespaces/{ns}/pods?limit=2";
        var first = await GetAsync(http, path);
        clock.Advance(TimeSpan.FromMinutes(4));
        var inTime = await GetAsync(http, $"{path}&continue={Continue(first)}");
        ChangeEveryWay(sim, ns);
        clock.Advance(TimeSpan.FromMinutes(1));

        var (code, status) = await SendAsync(http, HttpMethod.Get, $"{path}&continue={Continue(inTime)}");
        var rest = await GetAsync(http, $"api/v1/namespaces/{ns}/pods?continue={status["metadata"]!["continue"]!.GetValue<string>()}");

        Assert.Equal(["p2", "p3"], Names(inTime));
        Assert.Equal(410, code);
        AssertStatus(status, 410, "Expired");
        Assert.StartsWith("The provided continue parameter is too old to display a consistent list result. You can start a new list " +
            "without the continue parameter, or use the continue token in this response", status["message"]!.GetValue<string>());
        Assert.Equal(["p5"], Names(rest));
        Assert.Equal(sim.ResourceVersion.ToString(), Version(rest));
    }

    [Fact]
    public async Task Continue_AfterLastPage_410BecauseTheSnapshotIsDropped()
    {
        await using var sim = await KubeSimServer.StartAsync();
        using var http = sim.CreateHttpClient();
        var ns = Seed(sim, "done", 3);
        var path = $"api/v1/namespaces/{ns}/pods?limit=2";
        var first = await GetAsync(http, path);
        var last = await GetAsync(http, $"{path}&continue={Continue(first)}");

        var (code, status) = await SendAsync(http, HttpMethod.Get, $"{path}&continue={Continue(first)}");

        Assert.Equal(["p2"], Names(last));
        Assert.Equal(410, code);
        AssertStatus(status, 410, "Expired");
    }

    [Fact]
    public async Task Continue_MoreListsThanSnapshotLimit_OldestEvictedOthersServed()
    {
        await using var sim = await KubeSimServer.StartAsync(new KubeSimOptions { ContinueSnapshotLimit = 2 });
        using var http = sim.CreateHttpClient();
        var ns = Seed(sim, "evict", 3);
        var path = $"api/v1/namespaces/{ns}/pods?limit=1";
        var tokens = new List<string>();
        for (var i = 0; i < 3; i++) tokens.Add(Continue(await GetAsync(http, path)));

        var answers = new List<int>();
        foreach (var token in tokens) answers.Add((await SendAsync(http, HttpMethod.Get, $"{path}&continue={token}")).Code);

        Assert.Equal([410, 200, 200], answers);
    }

    [Fact]
    public async Task Continue_OtherNamespaceThanItsList_410()
    {
        await using var sim = await KubeSimServer.StartAsync();
        using var http = sim.CreateHttpClient();
        var ns = Seed(sim, "scope", 3);
        var other = Seed(sim, "other", 3);
        var first = await GetAsync(http, $"api/v1/namespaces/{ns}/pods?limit=1");

        var (code, _) = await SendAsync(http, HttpMethod.Get, $"api/v1/namespaces/{other}/pods?limit=1&continue={Continue(first)}");

        Assert.Equal(410, code);
    }

    public static TheoryData<string> Undecodable => new()
    {
        "not base64 !",
        Convert.ToBase64String(Encoding.UTF8.GetBytes("not json")).TrimEnd('='),
        Convert.ToBase64String(Encoding.UTF8.GetBytes("""{"rv":0,"after":"x/p0"}""")).TrimEnd('='),
        Convert.ToBase64String(Encoding.UTF8.GetBytes("""{"rv":7,"after":"x/p0"}""")).TrimEnd('='),
    };

    [Theory]
    [MemberData(nameof(Undecodable))]
    public async Task Continue_UndecodableToken_400InvalidContinueToken(string token)
    {
        await using var sim = await KubeSimServer.StartAsync();
        using var http = sim.CreateHttpClient();

        var (code, status) = await SendAsync(http, HttpMethod.Get, $"api/v1/namespaces/default/pods?limit=1&continue={Uri.EscapeDataString(token)}");

        Assert.Equal(400, code);
        AssertStatus(status, 400, "BadRequest");
        Assert.StartsWith("invalid continue token: continue key is not valid", status["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Continue_WithResourceVersion_400()
    {
        await using var sim = await KubeSimServer.StartAsync();
        using var http = sim.CreateHttpClient();
        var ns = Seed(sim, "rv", 2);
        var first = await GetAsync(http, $"api/v1/namespaces/{ns}/pods?limit=1");

        var (code, status) = await SendAsync(http, HttpMethod.Get,
            $"api/v1/namespaces/{ns}/pods?limit=1&resourceVersion={Version(first)}&continue={Continue(first)}");

        Assert.Equal(400, code);
        Assert.Equal("specifying resource version is not allowed when using continue", status["message"]!.GetValue<string>());
    }

    private static string Seed(KubeSimServer sim, string prefix, int pods)
    {
        var ns = sim.CreateUniqueNamespace(prefix);
        for (var i = 0; i < pods; i++) sim.CreatePod(ns, $"p{i}");
        return ns;
    }

    // After page one (p0, p1): p3 changes, p4 goes, p5 arrives.
    private static void ChangeEveryWay(KubeSimServer sim, string ns)
    {
        sim.Patch("v1", "Pod", ns, "p3", """{"metadata":{"labels":{"changed":"yes"}}}""");
        Assert.True(sim.Delete("v1", "Pod", ns, "p4"));
        sim.CreatePod(ns, "p5");
    }

    private static async Task<JsonObject> GetAsync(HttpClient http, string path)
    {
        var (code, body) = await SendAsync(http, HttpMethod.Get, path);
        Assert.True(code == 200, $"GET {path}: {code} {body}");
        return body;
    }

    private static string Continue(JsonObject list) => Uri.EscapeDataString(list["metadata"]!["continue"]!.GetValue<string>());

    private static string Version(JsonObject list) => list["metadata"]!["resourceVersion"]!.GetValue<string>();

    private static string[] Names(JsonObject list) =>
        [.. list["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.GetValue<string>())];
}
