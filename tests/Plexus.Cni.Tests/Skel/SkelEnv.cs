using System.Text;
using Plexus.Cni.Skel;

namespace Plexus.Cni.Tests.Skel;

/// <summary>Injected env and stdin for plugin-side tests (the process env is never touched).</summary>
internal static class SkelEnv
{
    public const string Conf = """{"cniVersion":"1.1.0","name":"net1","type":"plexus","custom":{"k":1}}""";

    public static Dictionary<string, string> For(string command) => new()
    {
        [CniEnv.Command] = command,
        [CniEnv.ContainerId] = "c0ffee-1",
        [CniEnv.Netns] = "/var/run/netns/pod-1",
        [CniEnv.IfName] = "eth0",
        [CniEnv.Args] = "IgnoreUnknown=1;K8S_POD_NAME=p",
        [CniEnv.Path] = "/opt/cni/bin::/usr/lib/cni",
    };

    public static Dictionary<string, string> Without(string command, string variable)
    {
        var env = For(command);
        env.Remove(variable);
        return env;
    }

    public static Dictionary<string, string> With(string command, string variable, string value)
    {
        var env = For(command);
        env[variable] = value;
        return env;
    }

    public static string ConfAt(string version) => Conf.Replace("1.1.0", version);

    public static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);
}
