using Plexus.NodeAgent.Install;

namespace Plexus.NodeAgent.Cli;

/// <summary><c>plexus install --install-dir DIR [--source FILE[,FILE...]]</c>.</summary>
internal static class InstallCommand
{
    public static int Run(IReadOnlyList<string> args, CliContext context)
    {
        var flags = FlagParser.Parse(args,
        [
            new("install-dir", false, "host CNI bin dir", "cni-bin-dir", "bin-dir"),
            new("source", false, "comma-separated binaries to install (default: this plexus binary)", "multus-bin-file"),
        ]);
        if (flags.Error is not null)
        {
            return AgentCli.UsageError(context, flags.Error);
        }
        if (flags.Get("install-dir") is not { } dir)
        {
            return AgentCli.UsageError(context, "install needs --install-dir (the host's CNI bin dir, e.g. /host/opt/cni/bin)");
        }
        var sources = flags.Get("source")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            ?? [Environment.ProcessPath ?? ""];
        return Install(sources, dir, context);
    }

    public static int Install(IReadOnlyList<string> sources, string dir, CliContext context)
    {
        if (!Directory.Exists(dir))
        {
            context.Stderr.WriteLine($"plexus: install dir {dir} does not exist; mount the host's CNI bin dir there");
            return AgentCli.Failed;
        }
        foreach (var source in sources)
        {
            try
            {
                var written = BinaryInstaller.Install(source, dir, context.Stop);
                context.Log.Info(written ? $"installed {source} into {dir}" : $"{Path.Combine(dir, Path.GetFileName(source))} is up to date");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                context.Stderr.WriteLine($"plexus: installing {source} into {dir} failed: {e.Message}");
                return AgentCli.Failed;
            }
        }
        return AgentCli.Ok;
    }
}
