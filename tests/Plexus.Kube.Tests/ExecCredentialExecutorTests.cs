using k8s.KubeConfigModels;
using Plexus.Cni;

namespace Plexus.Kube.Tests;

[CollectionDefinition(nameof(ExecCredentialExecutorTests), DisableParallelization = true)]
public sealed class ExecCredentialExecutorCollection;

// Not in parallel with other tests: one of them counts this process's open descriptors.
[Collection(nameof(ExecCredentialExecutorTests))]
public sealed class ExecCredentialExecutorTests : IDisposable
{
    private const string Secret = "s3cr3t-exec-token";
    private const string Credential = $$$"""{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","status":{"token":"{{{Secret}}}"}}""";

    // The limit for a plugin that hangs on purpose. It also covers the shell starting and writing the pid the test reads
    // afterwards, which took longer than 300 ms on a loaded machine, so it stays generous.
    private static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(5);

    private readonly string dir = Directory.CreateTempSubdirectory("plexus-exec-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    // What the kubeconfig fuzz target may feed in: each is refused before anything starts, never cut at the NUL.
    [Theory]
    [InlineData("/bin/true\0x", null, null, "plugin /bin/true\\0x cannot be started: its command contains a NUL character")]
    [InlineData("/bin/true", "a\0b", null, "plugin /bin/true cannot be started: its argument 1 contains a NUL character")]
    [InlineData("/bin/true", null, "", "plugin /bin/true cannot be started: the name of its env item 1 is empty")]
    [InlineData("/bin/true", null, "A=B", "plugin /bin/true cannot be started: the name of its env item 1 contains '='")]
    [InlineData("/bin/true", null, "A\0B", "plugin /bin/true cannot be started: its env item 1 contains a NUL character")]
    public void Run_UnrunnableCommandArgsOrEnv_CannotBeStartedNamingTheFile(string command, string? argument, string? variable, string expected)
    {
        var exec = Exec(command, argument is null ? null : [argument]);
        exec.EnvironmentVariables = variable is null ? null : [new() { ["name"] = variable, ["value"] = "v" }];

        var error = Assert.Throws<CniException>(() => ExecCredentialExecutor.Run(new ExecPluginConfig(exec, Kubeconfig), CancellationToken.None));

        Assert.Equal(CniErrorCode.InvalidNetworkConfig, error.Code);
        Assert.Equal($"cannot load kubeconfig {Kubeconfig}: its exec credential {expected}", error.Message);
    }

    [Fact]
    public void Run_CommandWithoutSlash_FoundInPath()
    {
        var credential = ExecCredentialExecutor.Run(new ExecPluginConfig(Exec("sh", ["-c", $"echo '{Credential}'"]), Kubeconfig), CancellationToken.None);

        Assert.Equal(Secret, credential.Token);
    }

    [Fact]
    public void Run_PluginHangs_KilledAndNamed()
    {
        var pidFile = Path.Combine(dir, "pid");
        var exec = Exec(Plugin($"echo $$ > {pidFile}; exec sleep 60"));

        var error = Assert.Throws<CniException>(() => ExecCredentialExecutor.Run(new ExecPluginConfig(exec, Kubeconfig), HangLimit, CancellationToken.None));

        Assert.Contains($"its exec credential plugin {exec.Command} did not finish within {HangLimit.TotalSeconds} s", error.Message);
        Assert.False(Directory.Exists($"/proc/{File.ReadAllText(pidFile).Trim()}"), "the plugin is killed and reaped");
    }

    // The plugin exits at once, but a child it left in the background holds its stdout: the limit covers that too.
    [Fact]
    public void Run_BackgroundChildHoldsStdout_KilledWithItsGroupAtTheLimit()
    {
        var pidFile = Path.Combine(dir, "pid");
        var exec = Exec(Plugin($"sleep 60 & echo $! > {pidFile}; echo '{Credential}'"));

        var error = Assert.Throws<CniException>(() => ExecCredentialExecutor.Run(new ExecPluginConfig(exec, Kubeconfig), HangLimit, CancellationToken.None));

        Assert.Contains($"its exec credential plugin {exec.Command} did not finish within {HangLimit.TotalSeconds} s and was killed", error.Message);
        Assert.DoesNotContain(Secret, error.ToString());
        Assert.True(Gone(int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture)), "the background child is killed");
    }

    [Fact]
    public void Run_ManyTimes_NoDescriptorLeft()
    {
        var exec = Exec(Plugin($"echo '{Credential}'; echo 'diagnostics {Secret}' >&2"));
        ExecCredentialExecutor.Run(new ExecPluginConfig(exec, Kubeconfig), CancellationToken.None);
        var before = OpenDescriptors();

        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(Secret, ExecCredentialExecutor.Run(new ExecPluginConfig(exec, Kubeconfig), CancellationToken.None).Token);
        }

        // Each run opens stdin, stdout and stderr pipes and a pidfd; nothing else runs beside this test.
        Assert.InRange(OpenDescriptors() - before, int.MinValue, 2);
    }

    private string Kubeconfig => Path.Combine(dir, "kubeconfig");

    private static ExternalExecution Exec(string command, IList<string>? arguments = null) =>
        new() { ApiVersion = "client.authentication.k8s.io/v1", Command = command, Arguments = arguments };

    private string Plugin(string body)
    {
        var script = Path.Combine(dir, "plugin.sh");
        File.WriteAllText(script, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return script;
    }

    private static int OpenDescriptors() => Directory.GetFiles("/proc/self/fd").Length;

    // Killed: gone, or a zombie until whoever adopted it reaps it. SIGKILL lands asynchronously, hence the wait.
    private static bool Gone(int pid)
    {
        for (var i = 0; i < 100; i++)
        {
            var stat = $"/proc/{pid}/stat";
            if (!File.Exists(stat) || File.ReadAllText(stat).Split(") ")[^1].StartsWith('Z'))
            {
                return true;
            }
            Thread.Sleep(50);
        }
        return false;
    }
}
