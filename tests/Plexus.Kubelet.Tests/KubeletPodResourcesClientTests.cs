using System.Net.Sockets;
using Plexus.Cni;
using Plexus.Core.Ports;
using Plexus.Testing.Kubelet;

namespace Plexus.Kubelet.Tests;

/// <summary>The client against a fake kubelet speaking gRPC over HTTP/2 on a unix socket.</summary>
public sealed class KubeletPodResourcesClientTests : IAsyncLifetime
{
    private static readonly PodRef Web = new("team-a", "web-0");
    private static readonly ProtoBuilder WebPod = PodResourcesProto.Pod("web-0", "team-a",
        ("app", [("intel.com/sriov", ["0000:03:00.2"])]), ("sidecar", [("intel.com/sriov", ["0000:03:00.3"])]));

    private FakeKubelet kubelet = null!;

    public async Task InitializeAsync() => kubelet = await FakeKubelet.StartAsync();

    public async Task DisposeAsync() => await kubelet.DisposeAsync();

    private KubeletPodResourcesClient Client() => new(kubelet.SocketPath);

    [Fact]
    public async Task GetPodDevices_GetAnswers_OneCallDevicesInContainerOrder()
    {
        kubelet.Get = (ns, name) => KubeletReply.Ok(PodResourcesProto.GetResponse(ns == "team-a" && name == "web-0" ? WebPod : null));
        using var client = Client();

        var devices = await client.GetPodDevicesAsync(Web, CancellationToken.None);

        Assert.Equal(["Get team-a/web-0"], kubelet.Calls);
        Assert.Equal(["0000:03:00.2", "0000:03:00.3"], devices.SelectMany(d => d.DeviceIds));
        Assert.All(devices, d => Assert.Equal("intel.com/sriov", d.ResourceName));
    }

    [Theory]
    [InlineData(12, "unknown method Get for service v1.PodResourcesLister")]
    [InlineData(2, "PodResources API Get method disabled")]
    public async Task GetPodDevices_GetUnavailable_FallsBackToListAndPicksThePod(int status, string message)
    {
        kubelet.Get = (_, _) => KubeletReply.Error(status, message);
        kubelet.List = () => KubeletReply.Ok(PodResourcesProto.ListResponse(
            PodResourcesProto.Pod("web-0", "other-ns", ("app", [("intel.com/sriov", ["0000:09:00.0"])])),
            WebPod,
            PodResourcesProto.Pod("web-1", "team-a", ("app", [("intel.com/sriov", ["0000:09:00.1"])]))));
        using var client = Client();

        var devices = await client.GetPodDevicesAsync(Web, CancellationToken.None);

        Assert.Equal(["Get team-a/web-0", "List"], kubelet.Calls);
        Assert.Equal(["0000:03:00.2", "0000:03:00.3"], devices.SelectMany(d => d.DeviceIds));
    }

    [Fact]
    public async Task GetPodDevices_PodNotListed_NoDevices()
    {
        using var client = Client();

        Assert.Empty(await client.GetPodDevicesAsync(Web, CancellationToken.None));
    }

    [Fact]
    public async Task GetPodDevices_ClientReused_SecondCallWorks()
    {
        kubelet.Get = (_, _) => KubeletReply.Ok(PodResourcesProto.GetResponse(WebPod));
        using var client = Client();

        await client.GetPodDevicesAsync(Web, CancellationToken.None);
        var devices = await client.GetPodDevicesAsync(Web, CancellationToken.None);

        Assert.Equal(2, devices.Count);
        Assert.Equal(2, kubelet.Calls.Count);
    }

    [Fact]
    public async Task GetPodDevices_ConcurrentCallsOnOneClient_AllAnswered()
    {
        kubelet.Get = (_, _) => KubeletReply.Ok(PodResourcesProto.GetResponse(WebPod));
        using var client = Client();

        var all = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => client.GetPodDevicesAsync(Web, CancellationToken.None)));

        Assert.All(all, devices => Assert.Equal(["0000:03:00.2", "0000:03:00.3"], devices.SelectMany(d => d.DeviceIds)));
        Assert.Equal(8, kubelet.Calls.Count);
    }

    [Fact]
    public async Task GetPodDevices_GetAndListFail_IoErrorWithBothStatuses()
    {
        kubelet.List = () => KubeletReply.Error(14, "kubelet is shutting down");
        using var client = Client();

        var error = await Assert.ThrowsAsync<CniException>(() => client.GetPodDevicesAsync(Web, CancellationToken.None));

        Assert.Equal(CniErrorCode.IoFailure, error.Code);
        Assert.Contains(kubelet.SocketPath, error.Message);
        Assert.Contains("Get (UNIMPLEMENTED: unknown method Get for service v1.PodResourcesLister)", error.Message);
        Assert.Contains("List (UNAVAILABLE: kubelet is shutting down)", error.Message);
        Assert.Contains("pod team-a/web-0", error.Message);
    }

    public static TheoryData<KubeletReply, string> MalformedReplies => new()
    {
        { new KubeletReply(0) { RawBody = [0, 0, 0, 0, 9, 1] }, "truncated (1 of 9 bytes)" },
        { new KubeletReply(0) { RawBody = [1, 0, 0, 0, 1, 8] }, "compressed" },
        { new KubeletReply(0, "", [0x0A, 0x09]), "claims 9 bytes" },
        { new KubeletReply(0) { RawBody = [.. Frame([]), .. Frame([])] }, "2 messages for a unary call" },
        { new KubeletReply(0, "", []) { SendStatus = false }, "no valid grpc-status" },
        { new KubeletReply(0, "", []) { ContentType = "text/plain" }, "content-type \"text/plain\"" },
        { new KubeletReply(0, "", []) { HttpStatus = 503 }, "HTTP status 503" },
    };

    [Theory]
    [MemberData(nameof(MalformedReplies))]
    public async Task GetPodDevices_MalformedAnswer_IoErrorNamesSocketAndProblem(KubeletReply reply, string expected)
    {
        kubelet.Get = (_, _) => reply;
        using var client = Client();

        var error = await Assert.ThrowsAsync<CniException>(() => client.GetPodDevicesAsync(Web, CancellationToken.None));

        Assert.Equal(CniErrorCode.IoFailure, error.Code);
        Assert.Contains($"the kubelet pod-resources API at {kubelet.SocketPath} answered /v1.PodResourcesLister/Get with a malformed response", error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public async Task GetPodDevices_SocketMissing_TryAgainLaterNamesSocket()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"plexus-no-kubelet-{Guid.NewGuid():N}.sock");
        using var client = new KubeletPodResourcesClient(missing);

        var error = await Assert.ThrowsAsync<CniException>(() => client.GetPodDevicesAsync(Web, CancellationToken.None));

        Assert.Equal(CniErrorCode.TryAgainLater, error.Code);
        Assert.Equal($"cannot reach the kubelet pod-resources API at {missing}: the socket does not exist", error.Message.Split(" (")[0]);
        Assert.Contains("pod-resources", error.Details);
    }

    [Fact]
    public async Task GetPodDevices_KubeletGoneSocketLeft_TryAgainLaterConnectionRefused()
    {
        var dir = Directory.CreateTempSubdirectory("plexus-dead-kubelet-").FullName;
        try
        {
            var path = Path.Combine(dir, "kubelet.sock");
            // Bound but not listening: what a crashed kubelet leaves (disposing would unlink the file).
            using var stale = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            stale.Bind(new UnixDomainSocketEndPoint(path));
            using var client = new KubeletPodResourcesClient(path);

            var error = await Assert.ThrowsAsync<CniException>(() => client.GetPodDevicesAsync(Web, CancellationToken.None));

            Assert.Equal(CniErrorCode.TryAgainLater, error.Code);
            Assert.Equal($"cannot reach the kubelet pod-resources API at {path}: nothing listens on the socket (connection refused)", error.Message);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task GetPodDevices_CallerCancels_Cancelled()
    {
        using var client = Client();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetPodDevicesAsync(Web, cancelled.Token));
    }

    private static byte[] Frame(byte[] message) => [0, 0, 0, 0, (byte)message.Length, .. message];
}
