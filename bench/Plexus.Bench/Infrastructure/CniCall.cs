namespace Plexus.Bench.Infrastructure;

/// <summary>One CNI invocation the way a runtime makes it: CNI_* env, the config on stdin.</summary>
internal static class CniCall
{
    public static ProcessSample Run(ProbeMode mode, string plugin, string command, string netns, string containerId,
        string ifName, string cniPath, string stdin, string? cniArgs = null)
    {
        var env = new Dictionary<string, string>
        {
            ["CNI_COMMAND"] = command,
            ["CNI_CONTAINERID"] = containerId,
            ["CNI_NETNS"] = netns,
            ["CNI_IFNAME"] = ifName,
            ["CNI_PATH"] = cniPath,
            ["PATH"] = "/usr/sbin:/usr/bin:/sbin:/bin",
        };
        if (cniArgs is not null)
        {
            env["CNI_ARGS"] = cniArgs;
        }
        var sample = ProcessProbe.Run(mode, [plugin], env, System.Text.Encoding.UTF8.GetBytes(stdin));
        return sample.ExitCode == 0
            ? sample
            : throw new InvalidOperationException($"{Path.GetFileName(plugin)} {command} {ifName} failed (exit {sample.ExitCode}): {sample.Stdout}");
    }
}
