using System.Reflection;
using System.Runtime.InteropServices;

namespace Plexus.NodeAgent.Cli;

/// <summary>
/// The node agent's command line: <c>plexus config generate|watch|restore</c>, <c>plexus doctor</c>,
/// <c>plexus install</c>, <c>plexus version</c>; and a Multus-style entrypoint when the first
/// argument is a flag. Exit codes: 0 success, 1 failure or problems found, 2 usage error or
/// could not check.
/// </summary>
public static class AgentCli
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int Usage = 2;

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, Func<string, string?> environment)
    {
        using var stop = new CancellationTokenSource();
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => Stop(c, stop));
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => Stop(c, stop));
        var context = new CliContext(stdout, stderr, environment, TimeProvider.System, stop.Token);
        try
        {
            return Dispatch(args, context);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            stderr.WriteLine($"plexus: {args[0]} interrupted by a signal");
            return Failed;
        }
    }

    internal static int Dispatch(IReadOnlyList<string> args, CliContext context)
    {
        if (args.Count == 0)
        {
            return UsageError(context, "no command given");
        }
        var rest = args.Skip(1).ToList();
        return args[0] switch
        {
            "config" when args.Count > 1 && args[1] == "generate" => ConfigCommands.Generate(rest[1..], context),
            "config" when args.Count > 1 && args[1] == "watch" => ConfigCommands.Watch(rest[1..], context),
            "config" when args.Count > 1 && args[1] == "restore" => ConfigCommands.Restore(rest[1..], context),
            "doctor" => DoctorCommand.Run(rest, context),
            "install" => InstallCommand.Run(rest, context),
            "version" or "--version" => Version(context),
            "help" or "--help" or "-h" => Help(context.Stdout),
            _ when args[0].StartsWith('-') => ConfigCommands.Entrypoint(args, context),
            _ => UsageError(context, $"unknown command \"{string.Join(' ', args.Take(2))}\""),
        };
    }

    internal static int UsageError(CliContext context, string message)
    {
        context.Stderr.WriteLine($"plexus: {message}");
        context.Stderr.WriteLine("run \"plexus help\" for the commands and flags");
        return Usage;
    }

    private static int Version(CliContext context)
    {
        var version = typeof(AgentCli).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
        context.Stdout.WriteLine($"plexus {version} (CNI spec versions {string.Join(", ", Plexus.Cni.CniVersion.Supported)})");
        return Ok;
    }

    private static int Help(TextWriter stdout)
    {
        stdout.WriteLine("""
            usage:
              plexus config generate [flags]   write the Plexus config once (exit 1 when there is no usable primary)
              plexus config watch [flags]      keep it in step with the conf dir and service account
              plexus config restore [--backup-dir DIR] [--backup NAME] [--list]
              plexus doctor --conf-dir DIR [--bin-dir DIR[:DIR]] [--fix] [--json] [config flags]
                                               --fix keeps the existing config's settings unless a config flag is given;
                                               --bin-dir is where plugins are looked for (config binDir: --additional-bin-dir)
              plexus install --install-dir DIR [--source FILE]...
              plexus version
              plexus --multus-flag=... ...     Multus thin-entrypoint compatible: install, then watch

            config flags (Multus aliases in parentheses):
            """);
        foreach (var flag in ConfigFlags.All)
        {
            var aliases = flag.Aliases.Length == 0 ? "" : $" (--{string.Join(", --", flag.Aliases)})";
            stdout.WriteLine($"  --{flag.Name}{(flag.IsBool ? "" : " VALUE")}{aliases}\n      {flag.Help}");
        }
        return Ok;
    }

    private static void Stop(PosixSignalContext signal, CancellationTokenSource stop)
    {
        // Let the command clean up and exit by itself instead of the runtime killing the process.
        signal.Cancel = true;
        stop.Cancel();
    }
}

/// <summary>What every command gets: output, environment, clock, and the stop signal.</summary>
internal sealed record CliContext(TextWriter Stdout, TextWriter Stderr, Func<string, string?> Environment, TimeProvider Time, CancellationToken Stop)
{
    public AgentLog Log { get; } = new(Stderr, Time);
}
