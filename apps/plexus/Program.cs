using Plexus.App;
using Plexus.Cni.Invoke;
using Plexus.Cni.Skel;
using Plexus.Core.Service;
using Plexus.Kube;
using Plexus.Kubelet;
using Plexus.NodeAgent.Cli;

// CNI runtimes call plugins without arguments; any argument means a node agent command.
if (args.Length > 0)
{
    return AgentCli.Run(args, Console.Out, Console.Error, Environment.GetEnvironmentVariable);
}

// Without arguments plexus is the CNI plugin: env + stdin in, result or error JSON out.
var env = ProcessEnvironment.Read();
var stderr = StandardStreams.Error();
var plugin = new MetaPlugin(new MetaPluginHost
{
    // One request per process: delegates are waited for on this thread, no thread pool needed.
    Executor = new ProcessPluginExecutor(new ProcessPluginExecutorOptions { WaitOnCallingThread = true }),
    ConnectKubernetes = kubeconfig => KubeConnection.TryCreate(kubeconfig, name => env.GetValueOrDefault(name), TimeProvider.System,
        sendOnCallingThread: true),
    PodResources = new KubeletPodResourcesClient(),
    Log = stderr,
});
var exitCode = await PluginDispatcher.RunAsync(env, StandardStreams.Input(), StandardStreams.Output(), stderr, plugin, CancellationToken.None);
// Delegates not released yet (the last one, mostly) are released here rather than left to whoever adopts them.
DeferredReaper.ReapAll();
return exitCode;
