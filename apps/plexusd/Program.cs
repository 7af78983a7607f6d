// plexusd: the thick-mode daemon (see Plexus.Daemon.ThickDaemon for what it runs).
return await Plexus.Daemon.ThickDaemon.RunAsync(args, Environment.GetEnvironmentVariable, Console.Error);
