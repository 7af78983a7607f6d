using Plexus.Cni.Json;

namespace Plexus.Cni.Skel;

/// <summary>
/// The plugin side of the protocol: validates env + stdin, answers VERSION, checks the config's
/// version, dispatches the verb and prints the result (converted to the config's cniVersion) or the
/// error JSON. Exactly one place writes the outcome; nothing but result or error JSON reaches stdout.
/// </summary>
public static class PluginDispatcher
{
    public const int ExitSuccess = 0;
    public const int ExitFailure = 1;

    /// <summary>Code for failures Plexus did not foresee (libcni's ErrInternal).</summary>
    public const int InternalErrorCode = 999;

    /// <summary>
    /// Runs one plugin call. <paramref name="stdin"/> is read for every verb, VERSION included: its answer
    /// echoes the cniVersion given on input (spec 1.1).
    /// </summary>
    public static async Task<int> RunAsync(
        IReadOnlyDictionary<string, string> env,
        Stream stdin,
        Stream stdout,
        TextWriter stderr,
        ICniPlugin plugin,
        CancellationToken cancellationToken)
    {
        byte[]? input = null;
        CniInvocation? invocation = null;
        var verb = "plugin call";
        byte[] output;
        int exitCode;
        try
        {
            var rule = VerbRules.Read(env);
            verb = rule.Name;
            input = ReadAll(stdin);
            if (rule.Command == CniCommand.Version)
            {
                output = Skel.VersionAnswer.Encode(plugin.SupportedVersions, input);
            }
            else
            {
                invocation = CniInvocation.Create(env, input);
                output = await DispatchAsync(rule, invocation, plugin, cancellationToken);
            }
            exitCode = ExitSuccess;
        }
        catch (CniException e)
        {
            output = e.ToBytes(ErrorVersion(invocation, input));
            exitCode = ExitFailure;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            output = new CniException(CniErrorCode.TryAgainLater, $"plexus: {verb} was cancelled", "a termination signal, or plexusd's request deadline or shutdown, stopped it; retry the call").ToBytes(ErrorVersion(invocation, input));
            exitCode = ExitFailure;
        }
        catch (Exception e)
        {
            await stderr.WriteLineAsync($"plexus: internal error during {verb}: {e}");
            output = new CniException(
                InternalErrorCode,
                $"plexus: internal error during {verb}: {e.GetType().Name}: {e.Message}",
                "this is a Plexus bug; the full exception was written to stderr").ToBytes(ErrorVersion(invocation, input));
            exitCode = ExitFailure;
        }
        // Synchronously, like stdin: the answer is small and the runtime is waiting for it.
        stdout.Write(output);
        stdout.Flush();
        return exitCode;
    }

    private static async Task<byte[]> DispatchAsync(VerbRule rule, CniInvocation invocation, ICniPlugin plugin, CancellationToken ct)
    {
        var version = invocation.Config.CniVersion;
        if (!plugin.SupportedVersions.Contains(version))
        {
            throw new CniException(
                CniErrorCode.IncompatibleVersion,
                "incompatible CNI versions",
                $"config is \"{invocation.Config.CniVersionText ?? version.ToString()}\", plugin supports [{string.Join(", ", plugin.SupportedVersions)}]");
        }
        VerbRules.RequireConfigVersion(rule, version);
        switch (rule.Command)
        {
            case CniCommand.Add:
                var result = await plugin.AddAsync(invocation, ct);
                return result.ConvertTo(version).ToBytes();
            case CniCommand.Del:
                await plugin.DelAsync(invocation, ct);
                return [];
            case CniCommand.Check:
                await plugin.CheckAsync(invocation, ct);
                return [];
            case CniCommand.Gc:
                await plugin.GcAsync(invocation, ct);
                return [];
            case CniCommand.Status:
                await plugin.StatusAsync(invocation, ct);
                return [];
            default:
                throw new InvalidOperationException($"no dispatch for {rule.Name}");
        }
    }

    /// <summary>
    /// The version error JSON is written in: the config's, or, when the config itself was refused,
    /// whatever cniVersion can still be read from it (looked for only then, so a call that gets
    /// that far parses its config once): the last one, as VERSION and the runtime read it.
    /// </summary>
    private static CniVersion ErrorVersion(CniInvocation? invocation, byte[]? input) =>
        CniVersionField.SpokenOrLatest(invocation is not null ? invocation.Config.CniVersion : input is null ? null : CniVersionField.Read(input));

    /// <summary>
    /// Reads the config synchronously: the runtime writes it and closes stdin, and an asynchronous
    /// read would start the thread pool and an epoll thread in a process that otherwise needs neither.
    /// </summary>
    private static byte[] ReadAll(Stream stdin)
    {
        using var buffer = new MemoryStream();
        stdin.CopyTo(buffer);
        return buffer.ToArray();
    }
}
