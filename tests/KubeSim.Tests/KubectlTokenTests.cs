using System.Text;
using System.Text.Json.Nodes;
using Plexus.KubeSim.Tests.Support;
using Plexus.Testing;

namespace Plexus.KubeSim.Tests;

/// <summary>
/// kubectl create token asks for a TokenRequest (protobuf, serviceaccounts/NAME/token); the token it
/// prints is a bearer token the simulator accepts as that service account (kubectl auth whoami)
/// for as long as the real server would.
/// </summary>
public sealed class KubectlTokenTests
{
    [SkippableFact]
    public async Task CreateToken_TokenAuthenticatesAsTheServiceAccount()
    {
        await using var kubectl = await Kubectl.StartWithSimulatorAsync();
        var sim = kubectl.Sim;
        var ns = sim.CreateUniqueNamespace("token");
        (await kubectl.RunAsync("create", "serviceaccount", "robot", "-n", ns)).Succeeded();

        var created = (await kubectl.RunAsync("create", "token", "robot", "-n", ns, "-v=8")).Succeeded();
        var token = created.Stdout.Trim();
        var whoami = JsonNode.Parse((await RunAsTokenAsync(kubectl, token, "auth", "whoami", "-o", "json")).Succeeded().Stdout)!;
        var pods = await RunAsTokenAsync(kubectl, token, "get", "pods", "-n", ns);

        Assert.Contains("Content-Type: application/vnd.kubernetes.protobuf", created.Stderr);
        Assert.Contains("Response Status: 201 Created", created.Stderr);
        Assert.Equal(1, sim.Requests.Count("create", "serviceaccounts/token"));
        var user = whoami["status"]!["userInfo"]!;
        Assert.Equal($"system:serviceaccount:{ns}:robot", user["username"]!.GetValue<string>());
        Assert.Equal(sim.Get("v1", "ServiceAccount", ns, "robot")!["metadata"]!["uid"]!.GetValue<string>(), user["uid"]!.GetValue<string>());
        Assert.Equal(["system:serviceaccounts", $"system:serviceaccounts:{ns}", "system:authenticated"],
            user["groups"]!.AsArray().Select(g => g!.GetValue<string>()));
        Assert.StartsWith("JTI=", user["extra"]!["authentication.kubernetes.io/credential-id"]![0]!.GetValue<string>());
        Assert.Contains("No resources found", pods.Succeeded().Stderr);
        // The claims are kube-apiserver's: its issuer and audience, an hour unless asked otherwise.
        var claims = JsonNode.Parse(Convert.FromBase64String(Padded(token.Split('.')[1])))!;
        Assert.Equal($"system:serviceaccount:{ns}:robot", claims["sub"]!.GetValue<string>());
        Assert.Equal("https://kubernetes.default.svc.cluster.local", claims["aud"]![0]!.GetValue<string>());
        Assert.Equal(3600, claims["exp"]!.GetValue<long>() - claims["iat"]!.GetValue<long>());
    }

    [SkippableFact]
    public async Task AuthWhoami_SimulatorToken_Administrator()
    {
        await using var kubectl = await Kubectl.StartWithSimulatorAsync();

        var whoami = JsonNode.Parse((await kubectl.RunAsync("auth", "whoami", "-o", "json")).Succeeded().Stdout)!;

        Assert.Equal("kube-sim-admin", whoami["status"]!["userInfo"]!["username"]!.GetValue<string>());
        Assert.Equal(["system:masters", "system:authenticated"], whoami["status"]!["userInfo"]!["groups"]!.AsArray().Select(g => g!.GetValue<string>()));
    }

    /// <summary>A token works until what it stands for changes: its service account or bound pod goes or is recreated, or it expires.</summary>
    [SkippableTheory]
    [InlineData("service account deleted")]
    [InlineData("service account recreated")]
    [InlineData("bound pod deleted")]
    [InlineData("expired")]
    public async Task CreateToken_ValidUntilItsSubjectChanges_ThenUnauthorized(string change)
    {
        var clock = new ManualTimeProvider();
        await using var kubectl = await Kubectl.StartWithSimulatorAsync(new KubeSimOptions { Clock = clock });
        var sim = kubectl.Sim;
        const string ServiceAccount = """{"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"robot"}}""";
        sim.Create(ServiceAccount);
        sim.CreatePod("default", "worker");
        string[] options = change switch
        {
            "bound pod deleted" => ["--bound-object-kind=Pod", "--bound-object-name=worker"],
            "expired" => ["--duration=10m"],
            _ => [],
        };
        var token = (await kubectl.RunAsync(["create", "token", "robot", .. options])).Succeeded().Stdout.Trim();
        if (change == "expired") clock.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(1));

        var before = await RunAsTokenAsync(kubectl, token, "auth", "whoami");
        switch (change)
        {
            case "service account deleted":
                sim.Delete("v1", "ServiceAccount", "default", "robot");
                break;
            case "service account recreated":
                sim.Delete("v1", "ServiceAccount", "default", "robot");
                sim.Create(ServiceAccount);
                break;
            case "bound pod deleted":
                sim.Delete("v1", "Pod", "default", "worker");
                break;
            default:
                clock.Advance(TimeSpan.FromSeconds(1));
                break;
        }
        var after = await RunAsTokenAsync(kubectl, token, "auth", "whoami");

        before.Succeeded();
        AssertUnauthorized(after);
    }

    [SkippableFact]
    public async Task CreateToken_OtherAudience_NotAcceptedByTheApiServer()
    {
        await using var kubectl = await Kubectl.StartWithSimulatorAsync();
        kubectl.Sim.Create("""{"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"robot"}}""");
        var token = (await kubectl.RunAsync("create", "token", "robot", "--audience=vault")).Succeeded().Stdout.Trim();

        AssertUnauthorized(await RunAsTokenAsync(kubectl, token, "auth", "whoami"));
    }

    [SkippableTheory]
    [InlineData("robot --duration=5m",
        "error: failed to create token: TokenRequest \"\" is invalid: spec.expirationSeconds: Invalid value: 300: may not specify a duration less than 10 minutes")]
    [InlineData("ghost", "error: failed to create token: serviceaccounts \"ghost\" not found")]
    [InlineData("robot --bound-object-kind=Pod --bound-object-name=missing", "error: failed to create token: pods \"missing\" not found")]
    [InlineData("robot --bound-object-kind=Secret --bound-object-name=s --bound-object-uid=not-its-uid",
        "error: failed to create token: Operation cannot be fulfilled on Secret \"s\": the UID in the bound object reference (not-its-uid) " +
        "does not match the UID in record. The object might have been deleted and then recreated")]
    public async Task CreateToken_Refused_ServerErrorNothingIssued(string args, string error)
    {
        await using var kubectl = await Kubectl.StartWithSimulatorAsync();
        var sim = kubectl.Sim;
        sim.Create("""{"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"robot"}}""");
        sim.Create("""{"apiVersion":"v1","kind":"Secret","metadata":{"name":"s"}}""");

        var result = await kubectl.RunAsync(["create", "token", .. args.Split(' ')]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Equal(error, result.Stderr.Trim());
        Assert.Empty(result.Stdout);
    }

    private static void AssertUnauthorized(Kubectl.Result result)
    {
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("error: You must be logged in to the server (Unauthorized)", result.Stderr);
    }

    /// <summary>kubectl with a kubeconfig of its own that holds only <paramref name="token"/>.</summary>
    private static Task<Kubectl.Result> RunAsTokenAsync(Kubectl kubectl, string token, params string[] args)
    {
        var kubeconfig = kubectl.WriteFile($"kubeconfig-{Guid.NewGuid():N}", $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: sim
              cluster:
                server: {kubectl.Sim.BaseUrl}
                certificate-authority-data: {Convert.ToBase64String(Encoding.UTF8.GetBytes(kubectl.Sim.CaPem))}
            users:
            - name: robot
              user:
                token: {token}
            contexts:
            - name: robot
              context:
                cluster: sim
                user: robot
            current-context: robot
            """);
        return kubectl.RunAsync(["--kubeconfig", kubeconfig, .. args]);
    }

    private static string Padded(string base64Url)
    {
        var text = base64Url.Replace('-', '+').Replace('_', '/');
        return text + new string('=', (4 - text.Length % 4) % 4);
    }
}
