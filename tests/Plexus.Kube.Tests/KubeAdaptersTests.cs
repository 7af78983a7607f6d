using Plexus.Cni;
using Plexus.Core.Ports;
using Plexus.KubeSim;

namespace Plexus.Kube.Tests;

/// <summary>The adapters through SocketsHttpHandler, as plexusd uses them.</summary>
public sealed class KubeAdaptersAsyncTests() : KubeAdaptersTests(sendOnCallingThread: false);

/// <summary>The adapters through the calling-thread transport, as the thin plugin uses them.</summary>
public sealed class KubeAdaptersCallingThreadTests() : KubeAdaptersTests(sendOnCallingThread: true);

/// <summary>The adapters against the in-process API server simulator, through a kubeconfig like a node has.</summary>
public abstract class KubeAdaptersTests(bool sendOnCallingThread) : IAsyncLifetime
{
    private readonly string dir = Directory.CreateTempSubdirectory("plexus-kube-").FullName;
    private KubeSimServer sim = null!;
    private KubernetesPorts ports = null!;
    private readonly string ns = "ns-" + Guid.NewGuid().ToString("N")[..8];

    public async Task InitializeAsync()
    {
        sim = await KubeSimServer.StartAsync();
        sim.CreateNamespace(ns);
        ports = Connect(sim.WriteKubeconfig(Path.Combine(dir, "kubeconfig")), _ => null);
    }

    private KubernetesPorts Connect(string? kubeconfig, Func<string, string?> env, string serviceAccountDir = KubeConnection.DefaultServiceAccountDir) =>
        KubeConnection.TryCreate(kubeconfig, env, TimeProvider.System, serviceAccountDir, sendOnCallingThread)!;

    public async Task DisposeAsync()
    {
        await sim.DisposeAsync();
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public async Task GetPod_Exists_UidAndAnnotations()
    {
        var created = sim.CreatePod(ns, "p1", annotations: new Dictionary<string, string> { ["k8s.v1.cni.cncf.io/networks"] = "a,b" });

        var lookup = await ports.Pods.GetPodAsync(new PodRef(ns, "p1"), CancellationToken.None);

        Assert.True(lookup.Found);
        Assert.Equal((string?)created["metadata"]!["uid"], lookup.Pod!.Uid);
        Assert.Equal("a,b", lookup.Pod.Annotation("k8s.v1.cni.cncf.io/networks"));
        Assert.False(lookup.Pod.IsStatic);
    }

    // The thin plugin's calling-thread connection, plexusd's pooled one (its watches take the same transport).
    [Fact]
    public async Task GetPod_ConnectionToTheServerKeptAlive()
    {
        sim.CreatePod(ns, "p1");

        Assert.True((await ports.Pods.GetPodAsync(new PodRef(ns, "p1"), CancellationToken.None)).Found);

        KeepAliveAssert.ClientConnectionsTo(sim.Port);
    }

    [Fact]
    public async Task GetPod_Missing_NotFoundValue()
    {
        Assert.False((await ports.Pods.GetPodAsync(new PodRef(ns, "nope"), CancellationToken.None)).Found);
    }

    [Fact]
    public async Task GetNad_Exists_ConfigAndResourceName()
    {
        sim.CreateNetworkAttachmentDefinition(ns, "macvlan-a", """{"cniVersion":"1.0.0","type":"macvlan"}""",
            new Dictionary<string, string> { ["k8s.v1.cni.cncf.io/resourceName"] = "intel.com/sriov" });

        var lookup = await ports.Definitions.GetAsync(ns, "macvlan-a", CancellationToken.None);

        Assert.Equal($"{ns}/macvlan-a", lookup.Definition!.QualifiedName);
        Assert.Equal("""{"cniVersion":"1.0.0","type":"macvlan"}""", lookup.Definition.Config);
        Assert.Equal("intel.com/sriov", lookup.Definition.ResourceName);
    }

    [Fact]
    public async Task GetNad_Missing_NotFoundValue()
    {
        sim.InstallNetworkAttachmentDefinitionCrd();

        Assert.False((await ports.Definitions.GetAsync(ns, "nope", CancellationToken.None)).Found);
    }

    [Fact]
    public async Task WriteNetworkStatus_SetsAnnotationKeepsOthers()
    {
        sim.CreatePod(ns, "p1", annotations: new Dictionary<string, string> { ["keep"] = "me" });
        const string status = """[{"name":"cbr0","interface":"eth0","default":true,"dns":{}}]""";

        var outcome = await ports.Pods.WriteNetworkStatusAsync(new PodRef(ns, "p1"), null, status, CancellationToken.None);

        var annotations = sim.Get("v1", "Pod", ns, "p1")!["metadata"]!["annotations"]!;
        Assert.Equal(StatusWriteOutcome.Written, outcome);
        Assert.Equal(1, sim.Requests.Count("patch", "pods/status"));
        Assert.Equal("me", (string?)annotations["keep"]);
        // A real API server keeps metadata changes made through pods/status (Multus relies on it), and so does kube-sim.
        Assert.Equal(status, (string?)annotations["k8s.v1.cni.cncf.io/network-status"]);
    }

    [Fact]
    public async Task WriteNetworkStatus_PodGone_PodNotFoundValue()
    {
        Assert.Equal(StatusWriteOutcome.PodNotFound, await ports.Pods.WriteNetworkStatusAsync(new PodRef(ns, "gone"), null, "[]", CancellationToken.None));
    }

    [Fact]
    public async Task WriteNetworkStatus_PodHasAnotherUid_RefusedNothingWritten()
    {
        sim.CreatePod(ns, "p1");

        var outcome = await ports.Pods.WriteNetworkStatusAsync(new PodRef(ns, "p1"), "wrong-uid", "[]", CancellationToken.None);

        Assert.Equal(StatusWriteOutcome.Refused, outcome);
        Assert.Null(sim.Get("v1", "Pod", ns, "p1")!["metadata"]!["annotations"]?["k8s.v1.cni.cncf.io/network-status"]);
    }

    [Fact]
    public async Task WriteNetworkStatus_AnnotationsOverTheLimit_ErrorKeepsTheServersReason()
    {
        var uid = (string)sim.CreatePod(ns, "p1")["metadata"]!["uid"]!;
        var huge = $"[{{\"name\":\"{new string('x', 300 * 1024)}\"}}]";

        var error = await Assert.ThrowsAsync<CniException>(() => ports.Pods.WriteNetworkStatusAsync(new PodRef(ns, "p1"), uid, huge, CancellationToken.None));

        Assert.Equal(CniErrorCode.TryAgainLater, error.Code);
        Assert.Contains($"cannot write the network-status of pod {ns}/p1", error.Message, StringComparison.Ordinal);
        Assert.Contains("metadata.annotations: Too long: must have at most 262144 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteNetworkStatus_PodHasThatUid_Written()
    {
        var uid = (string)sim.CreatePod(ns, "p1")["metadata"]!["uid"]!;

        Assert.Equal(StatusWriteOutcome.Written, await ports.Pods.WriteNetworkStatusAsync(new PodRef(ns, "p1"), uid, "[]", CancellationToken.None));
    }

    [Fact]
    public async Task RecordEvent_CreatesEventOnPod()
    {
        await ports.Pods.RecordEventAsync(new PodRef(ns, "p1"), "uid-1", PodEvent.NoNetworkFound("cannot find a network-attachment-definition (x) in namespace (y)"), CancellationToken.None);

        var kubeEvent = Assert.Single(sim.List("v1", "Event", ns));
        Assert.Equal("NoNetworkFound", (string?)kubeEvent["reason"]);
        Assert.Equal("Warning", (string?)kubeEvent["type"]);
        Assert.Equal("cannot find a network-attachment-definition (x) in namespace (y)", (string?)kubeEvent["message"]);
        var involved = kubeEvent["involvedObject"]!;
        Assert.Equal(("Pod", "v1", "p1", ns, "uid-1"),
            ((string?)involved["kind"], (string?)involved["apiVersion"], (string?)involved["name"], (string?)involved["namespace"], (string?)involved["uid"]));
    }

    [Fact]
    public async Task RecordEvent_MessageWithQuotesControlAndNonAscii_ArrivesUnchanged()
    {
        // Written with Go's escaping (only '"', '\\' and control characters), read back by the server as the same text.
        const string message = "Add net1 [10.0.0.5] from \"ns/é-net\" <a&b> \\ tab\there\u0001";

        await ports.Pods.RecordEventAsync(new PodRef(ns, "p1"), null, new PodEvent(PodEventType.Normal, "AddedInterface", message), CancellationToken.None);

        Assert.Equal(message, (string?)Assert.Single(sim.List("v1", "Event", ns))["message"]);
    }

    [Fact]
    public async Task ApiDown_TryAgainLaterNamingPod()
    {
        await sim.RefuseConnectionsAsync();

        var error = await Assert.ThrowsAsync<CniException>(() => ports.Pods.GetPodAsync(new PodRef(ns, "p1"), CancellationToken.None));

        Assert.Equal(CniErrorCode.TryAgainLater, error.Code);
        Assert.Contains($"pod {ns}/p1", error.Message);
    }

    [Fact]
    public async Task GetPod_ServerAnswersHtmlPage_ErrorSaysTheAnswerIsNotJsonWithStatusAndContentType()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        _ = AnswerHtmlAsync(listener);
        var kubeconfig = Path.Combine(dir, "html-kubeconfig");
        File.WriteAllText(kubeconfig, $$$"""
            apiVersion: v1
            kind: Config
            clusters: [{name: c, cluster: {server: "http://127.0.0.1:{{{((System.Net.IPEndPoint)listener.LocalEndpoint).Port}}}"}}]
            users: [{name: u, user: {token: t}}]
            contexts: [{name: x, context: {cluster: c, user: u}}]
            current-context: x
            """);

        var error = await Assert.ThrowsAsync<CniException>(() => Connect(kubeconfig, _ => null).Pods.GetPodAsync(new PodRef(ns, "p1"), CancellationToken.None));

        Assert.Equal(CniErrorCode.TryAgainLater, error.Code);
        Assert.True(error.Message.Contains($"cannot read pod {ns}/p1: the answer to GET /api/v1/namespaces/{ns}/pods/p1 (200 OK, content type text/html) is not the JSON object an API server sends", StringComparison.Ordinal), error.Message);
    }

    // A web server that is not an API server: every request gets a 200 HTML page.
    private static async Task AnswerHtmlAsync(System.Net.Sockets.TcpListener listener)
    {
        const string Page = "<html><body>Welcome</body></html>";
        while (true)
        {
            using var client = await listener.AcceptTcpClientAsync();
            var stream = client.GetStream();
            var request = new byte[8192];
            var read = 0;
            while (!System.Text.Encoding.ASCII.GetString(request, 0, read).Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                var n = await stream.ReadAsync(request.AsMemory(read));
                if (n == 0)
                {
                    break;
                }
                read += n;
            }
            await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(
                $"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {Page.Length}\r\nConnection: close\r\n\r\n{Page}"));
        }
    }

    [Fact]
    public async Task ServerError_TryAgainLaterNamingNad()
    {
        sim.InstallNetworkAttachmentDefinitionCrd();
        sim.Faults.ErrorShare = 1;

        var error = await Assert.ThrowsAsync<CniException>(() => ports.Definitions.GetAsync(ns, "a", CancellationToken.None));

        Assert.Equal(CniErrorCode.TryAgainLater, error.Code);
        Assert.Contains($"NetworkAttachmentDefinition {ns}/a", error.Message);
        Assert.Contains("500", error.Message);
    }

    [Fact]
    public async Task ServerCertificateFromAnotherCa_TryAgainLaterNothingServed()
    {
        sim.CreatePod(ns, "p1");
        using var otherKey = System.Security.Cryptography.ECDsa.Create();
        using var otherCa = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=other-ca", otherKey, System.Security.Cryptography.HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(1));
        var path = sim.WriteKubeconfig(Path.Combine(dir, "other-ca-kubeconfig"));
        await File.WriteAllTextAsync(path, (await File.ReadAllTextAsync(path)).Replace(
            Base64(sim.CaPem), Base64(otherCa.ExportCertificatePem()), StringComparison.Ordinal));
        var untrusting = Connect(path, _ => null);

        var error = await Assert.ThrowsAsync<CniException>(() => untrusting.Pods.GetPodAsync(new PodRef(ns, "p1"), CancellationToken.None));

        Assert.Equal(CniErrorCode.TryAgainLater, error.Code);
        Assert.Contains($"pod {ns}/p1", error.Message);
        Assert.Equal(0, sim.Requests.Count("get", "pods"));
    }

    private static string Base64(string text) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(text));

    [Fact]
    public async Task InClusterToken_ReadFreshPerInvocation()
    {
        var sa = Directory.CreateDirectory(Path.Combine(dir, "sa")).FullName;
        await File.WriteAllTextAsync(Path.Combine(sa, "ca.crt"), sim.CaPem);
        await File.WriteAllTextAsync(Path.Combine(sa, "token"), sim.Token);
        sim.CreatePod(ns, "p1");
        Func<string, string?> env = key => key switch
        {
            "KUBERNETES_SERVICE_HOST" => "127.0.0.1",
            "KUBERNETES_SERVICE_PORT" => sim.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            _ => null,
        };
        var before = Connect(null, env, sa);
        Assert.True((await before.Pods.GetPodAsync(new PodRef(ns, "p1"), CancellationToken.None)).Found);

        sim.RotateToken("rotated-" + Guid.NewGuid().ToString("N"));
        await File.WriteAllTextAsync(Path.Combine(sa, "token"), sim.Token);
        var after = Connect(null, env, sa);

        Assert.True((await after.Pods.GetPodAsync(new PodRef(ns, "p1"), CancellationToken.None)).Found);
        var stale = await Assert.ThrowsAsync<CniException>(() => before.Pods.GetPodAsync(new PodRef(ns, "p1"), CancellationToken.None));
        Assert.Contains("401", stale.Message);
    }
}
