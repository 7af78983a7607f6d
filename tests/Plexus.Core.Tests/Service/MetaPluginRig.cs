using System.Text;
using Plexus.Cni.Skel;
using Plexus.Core.Config;
using Plexus.Core.Ports;
using Plexus.Core.Service;
using Plexus.Testing;

namespace Plexus.Core.Tests.Service;

/// <summary>
/// A meta-plugin over a recording executor, in-memory API and a temp cniDir/confDir, for tests of
/// one feature at a time: the pod <c>pods/web</c> (uid-1) and a static bridge cluster network.
/// </summary>
internal sealed class MetaPluginRig : IDisposable
{
    public const string BridgeAnswer = """{"cniVersion":"1.0.0","interfaces":[{"name":"eth0","sandbox":"/ns"}],"ips":[{"address":"10.0.0.5/24","interface":0}]}""";

    public MetaPluginRig()
    {
        Executor.Answer("bridge", "ADD", BridgeAnswer);
        Kube.Pods[Pod] = new PodInfo { Ref = Pod, Uid = "uid-1" };
    }

    public static PodRef Pod { get; } = new("pods", "web");

    public string Dir { get; } = Directory.CreateTempSubdirectory("plexus-rig-").FullName;

    public string CacheFile => Path.Combine(Dir, "c1");

    public FakeKubernetes Kube { get; } = new();

    public RecordingPluginExecutor Executor { get; } = new RecordingPluginExecutor().WithPlugin("bridge").WithPlugin("macvlan");

    public IPodResourcesClient? PodResources { get; set; }

    /// <summary>The pod namespace: no links; the default-route edits asked for.</summary>
    public RecordingPodNetwork PodNetwork { get; } = new();

    public string DeviceInfoDir => Path.Combine(Dir, "devinfo");

    /// <summary>What the plugin logged to stderr (when the config asks for it).</summary>
    public StringWriter Log { get; } = new();

    /// <summary>Replaces <see cref="Log"/> as the plugin's stderr when set.</summary>
    public TextWriter? Stderr { get; set; }

    /// <summary>The level of a config without <c>logLevel</c>; Multus's panic, as in the one-shot plugin.</summary>
    public LogLevel DefaultLogLevel { get; set; } = LogLevel.Panic;

    /// <summary>The plexus config with cniDir and confDir in the rig's dir, a bridge cluster network and <paramref name="extra"/> keys.</summary>
    public string Config(string extra = "") => $$"""
        {"cniVersion":"1.0.0","name":"plexus-net","type":"plexus","cniDir":"{{Dir}}","confDir":"{{Dir}}/net.d","binDir":"{{RecordingPluginExecutor.BinDir}}",
         "delegates":[{"cniVersion":"1.0.0","name":"cbr0","type":"bridge"}]{{extra}}}
        """;

    public void Annotate(string networks) =>
        Kube.Pods[Pod] = Kube.Pods[Pod] with { Annotations = new Dictionary<string, string> { ["k8s.v1.cni.cncf.io/networks"] = networks } };

    public Core.Service.MetaPlugin Plugin(bool kubernetes = true) => new(new MetaPluginHost
    {
        Executor = Executor,
        ConnectKubernetes = _ => kubernetes ? Kube.Ports : null,
        PodNetwork = PodNetwork,
        PodResources = PodResources,
        DeviceInfoDir = DeviceInfoDir,
        Log = Stderr ?? Log,
        DefaultLogLevel = DefaultLogLevel,
    });

    public static CniInvocation Invocation(string command, string config, string containerId = "c1") => CniInvocation.Create(new Dictionary<string, string>
    {
        ["CNI_COMMAND"] = command,
        ["CNI_CONTAINERID"] = containerId,
        ["CNI_NETNS"] = "/ns",
        ["CNI_IFNAME"] = "eth0",
        ["CNI_PATH"] = "/nonexistent",
        ["CNI_ARGS"] = "IgnoreUnknown=1;K8S_POD_NAMESPACE=pods;K8S_POD_NAME=web;K8S_POD_UID=uid-1",
    }, Encoding.UTF8.GetBytes(config));

    /// <summary>A GC or STATUS call: no container, netns or interface.</summary>
    public static CniInvocation NodeInvocation(string command, string config) => CniInvocation.Create(
        new Dictionary<string, string> { ["CNI_COMMAND"] = command, ["CNI_PATH"] = "/nonexistent" }, Encoding.UTF8.GetBytes(config));

    public IEnumerable<RecordingPluginExecutor.Call> Runs(string command) => Executor.Calls.Where(c => c.Invocation.Command == command);

    public void Dispose() => Directory.Delete(Dir, recursive: true);
}
