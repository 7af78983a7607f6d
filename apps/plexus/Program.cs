// Placeholder entry point until the plugin skeleton lands: answers VERSION only.
using Plexus.Cni;
using Plexus.NodeAgent.Cli;

// CNI runtimes call plugins without arguments; any argument means a node agent command.
if (args.Length > 0)
{
    return AgentCli.Run(args, Console.Out, Console.Error, Environment.GetEnvironmentVariable);
}

if (Environment.GetEnvironmentVariable("CNI_COMMAND") == "VERSION")
{
    Console.Out.Write("{\"cniVersion\":\"" + CniVersion.Latest + "\",\"supportedVersions\":[" +
        string.Join(",", CniVersion.Supported.Select(v => "\"" + v + "\"")) + "]}");
    return 0;
}
Console.Error.WriteLine("plexus: only VERSION is implemented so far");
return 1;
