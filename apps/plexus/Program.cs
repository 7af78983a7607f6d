using Plexus.App;
using Plexus.Cni.Skel;
using Plexus.NodeAgent.Cli;

// CNI runtimes call plugins without arguments; any argument means a node agent command.
if (args.Length > 0)
{
    return AgentCli.Run(args, Console.Out, Console.Error, Environment.GetEnvironmentVariable);
}

// Without arguments plexus is the CNI plugin: env + stdin in, result or error JSON out.
return await PluginDispatcher.RunAsync(
    ProcessEnvironment.Read(),
    Console.OpenStandardInput(),
    Console.OpenStandardOutput(),
    Console.Error,
    new PendingMetaPlugin(),
    CancellationToken.None);
