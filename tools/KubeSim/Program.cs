using Plexus.KubeSim;

return await KubeSimCommand.RunAsync(args);
