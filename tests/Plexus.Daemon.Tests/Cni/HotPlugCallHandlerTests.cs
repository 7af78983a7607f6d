using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Plexus.Cni;
using Plexus.Core.Ports;
using Plexus.Core.Service;
using Plexus.Daemon.Cni;
using Plexus.Daemon.Protocol;
using Plexus.Daemon.Tests.Testing;
using Plexus.Testing;

namespace Plexus.Daemon.Tests.Cni;

/// <summary><c>POST /delegate</c> through a real plexusd socket: routed to the hot-plug, never to the meta-plugin.</summary>
public sealed class HotPlugCallHandlerTests : IAsyncLifetime
{
    private const string Macvlan = """{"cniVersion":"0.3.1","name":"dyn","type":"macvlan","master":"up0"}""";

    private readonly string _dir = Directory.CreateTempSubdirectory("plexusd-hotplug-").FullName;
    private readonly RecordingPluginExecutor _executor = new RecordingPluginExecutor().WithPlugin("macvlan");
    private readonly ScriptedHandler _cni = new((_, _) => Task.FromResult(CniOutcome.Success(CniVersion.V100, null)));
    private TestDaemon _daemon = null!;

    public async Task InitializeAsync()
    {
        var hotPlug = new HotPlug(new MetaPluginHost
        {
            Executor = _executor,
            ConnectKubernetes = _ => new KubernetesPorts(new OnePod(), new NoNads()),
        }, new HotPlugSettings { BinDir = RecordingPluginExecutor.BinDir, CniDir = _dir });
        _daemon = await TestDaemon.StartAsync(new CallKindRouter(_cni, new HotPlugCallHandler(hotPlug)));
    }

    public async Task DisposeAsync()
    {
        await _daemon.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Delegate_Del_RunsTheNetworksDelOnTheIfNameAndAnswers200()
    {
        var (status, body) = await PostAsync("/delegate", Body("DEL", Macvlan));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Null(body["Result"]);
        var call = Assert.Single(_executor.Calls);
        Assert.Equal(("DEL", "net1", "c1"), (call.Invocation.Command, call.Invocation.IfName, call.Invocation.ContainerId));
        Assert.Equal(0, _cni.Calls);
    }

    [Fact]
    public async Task Delegate_IpsOnNetworkWithoutCapability_400Code7NamingIpsAndNothingRuns()
    {
        var (status, body) = await PostAsync("/delegate", Body("ADD", Macvlan, new JsonObject { ["ips"] = new JsonArray("10.9.0.4/24") }));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(CniErrorCode.InvalidNetworkConfig, (int)body["code"]!);
        Assert.Contains("\"ips\" (capability \"ips\")", (string)body["msg"]!);
        Assert.Equal("0.3.1", (string)body["cniVersion"]!);
        Assert.Empty(_executor.Calls);
    }

    [Theory]
    [InlineData("""{"cniVersion":"1.0.0","name":"plexus-net","type":"plexus","delegates":[{"cniVersion":"1.0.0","name":"n","type":"bridge"}]}""", "plexus")]
    [InlineData("""{"cniVersion":"1.0.0","name":"m","plugins":[{"type":"multus-shim"}]}""", "multus-shim")]
    public async Task Delegate_MetaPluginConfig_400Code7AndNothingRuns(string config, string type)
    {
        var (status, body) = await PostAsync("/delegate", Body("ADD", config));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(CniErrorCode.InvalidNetworkConfig, (int)body["code"]!);
        Assert.Contains($"not a meta-plugin config (type \"{type}\")", (string)body["msg"]!);
        Assert.Empty(_executor.Calls);
        Assert.Equal(0, _cni.Calls);
    }

    [Theory]
    [InlineData("GC")]
    [InlineData("VERSION")]
    [InlineData("STATUS")]
    public async Task Delegate_OtherVerb_400Code4NamingTheVerb(string verb)
    {
        var (status, body) = await PostAsync("/delegate", Body(verb, Macvlan));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(CniErrorCode.InvalidEnvironment, (int)body["code"]!);
        Assert.Contains($"/delegate does not serve CNI_COMMAND \"{verb}\"", (string)body["msg"]!);
        Assert.Empty(_executor.Calls);
    }

    [Fact]
    public async Task Delegate_NoConfig_400Code6AndNothingRuns()
    {
        var body = Body("ADD", Macvlan);
        body.Remove("config");

        var (status, answer) = await PostAsync("/delegate", body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(CniErrorCode.DecodeFailure, (int)answer["code"]!);
        Assert.Empty(_executor.Calls);
    }

    [Theory]
    [InlineData("""{"mac":5}""", "$.interfaceAttributes.mac")]
    [InlineData("""{"ips":"10.9.0.4/24"}""", "$.interfaceAttributes.ips")]
    [InlineData("""{"cni-args":[1]}""", "$.interfaceAttributes.cni-args")]
    public async Task Delegate_MalformedInterfaceAttributes_400Code6NamingTheField(string attributes, string field)
    {
        var body = Body("ADD", Macvlan, JsonNode.Parse(attributes)!.AsObject());

        var (status, answer) = await PostAsync("/delegate", body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(CniErrorCode.DecodeFailure, (int)answer["code"]!);
        Assert.Contains($"bad value at {field}", (string)answer["msg"]!, StringComparison.Ordinal);
        Assert.Empty(_executor.Calls);
    }

    [Fact]
    public async Task Cni_SameDaemon_StillGoesToTheMetaPlugin()
    {
        var (status, _) = await PostAsync("/cni", Body("DEL", Macvlan));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(1, _cni.Calls);
        Assert.Empty(_executor.Calls);
    }

    [Fact]
    public void AttributesOf_WireBodyWithIpsMacAndCniArgs_AllReachTheHotPlug()
    {
        var wire = JsonSerializer.Deserialize(
            """{"env":{},"config":"","interfaceAttributes":{"ips":["10.9.0.4/24"],"mac":"02:00:00:00:00:04","cni-args":{"foo":"bar","n":1}}}""",
            ProtocolJsonContext.Default.CniRequestBody)!;

        var attributes = HotPlugCallHandler.AttributesOf(wire.InterfaceAttributes)!;

        Assert.Equal(["10.9.0.4/24"], attributes.Ips!);
        Assert.Equal("02:00:00:00:00:04", attributes.Mac);
        Assert.Equal("""{"foo":"bar","n":1}""", attributes.CniArgs!.ToJsonString());
        Assert.Null(HotPlugCallHandler.AttributesOf(null));
    }

    private async Task<(HttpStatusCode Status, JsonObject Body)> PostAsync(string path, JsonObject body)
    {
        using var http = _daemon.UnixHttp();
        using var response = await http.PostAsync(path, new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
    }

    /// <summary>What multus-dynamic-networks-controller sends: no CNI_PATH, the network's config, the interface's attributes.</summary>
    private static JsonObject Body(string command, string config, JsonObject? attributes = null)
    {
        var body = new JsonObject
        {
            ["env"] = new JsonObject
            {
                ["CNI_COMMAND"] = command,
                ["CNI_CONTAINERID"] = "c1",
                ["CNI_NETNS"] = "/run/netns/test",
                ["CNI_IFNAME"] = "net1",
                ["CNI_ARGS"] = "K8S_POD_NAMESPACE=ns1;K8S_POD_NAME=pod-c1;K8S_POD_UID=uid-1",
            },
            ["config"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(config)),
        };
        if (attributes is not null)
        {
            body["interfaceAttributes"] = attributes;
        }
        return body;
    }

    private sealed class OnePod : IPodClient
    {
        public Task<PodLookup> GetPodAsync(PodRef pod, CancellationToken cancellationToken) =>
            Task.FromResult(new PodLookup(pod == new PodRef("ns1", "pod-c1") ? new PodInfo { Ref = pod, Uid = "uid-1" } : null));

        public Task<StatusWriteOutcome> WriteNetworkStatusAsync(PodRef pod, string? uid, string networkStatusJson, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("a hot-plug writes no network-status");

        public Task RecordEventAsync(PodRef pod, string? podUid, PodEvent podEvent, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private sealed class NoNads : INetworkAttachmentClient
    {
        public Task<NadLookup> GetAsync(string @namespace, string name, CancellationToken cancellationToken) => Task.FromResult(new NadLookup(null));
    }
}
