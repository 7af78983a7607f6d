using System.Diagnostics;
using System.Text;
using Plexus.Daemon.Config;

namespace Plexus.Daemon.Tests.Logging;

/// <summary>plexusd at the shipped <c>"logLevel": "error"</c> on the real console logger (process-wide, so run alone).</summary>
[Collection(nameof(ConsoleCapture))]
public sealed class ShippedLogLevelTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("plexusd-level-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task GenerateConfig_OnlyAnInvalidConfAtLogLevelError_SkipAndNoConfigLogged()
    {
        var confDir = Directory.CreateDirectory(Path.Combine(_dir, "net.d")).FullName;
        var broken = Path.Combine(confDir, "10-broken.conflist");
        await File.WriteAllTextAsync(broken, "{\"cniVersion\":");
        var (settings, errors) = DaemonSettingsParser.Parse(Encoding.UTF8.GetBytes($$"""
            {"socketDir":"{{_dir}}/run","generateConfig":true,"confDir":"{{confDir}}","backupDir":"{{_dir}}/backups",
             "metricsAddress":"off","logLevel":"error"}
            """), _ => null);
        Assert.Empty(errors);
        var console = new StringWriter();
        var original = Console.Out;
        Console.SetOut(TextWriter.Synchronized(console));
        try
        {
            await using var server = ThickDaemon.Build(settings!, _ => null);
            await server.StartAsync(CancellationToken.None);
            var waited = Stopwatch.StartNew();
            while (!console.ToString().Contains("nothing written", StringComparison.Ordinal))
            {
                Assert.True(waited.Elapsed < TimeSpan.FromSeconds(30), "no 'nothing written' line; plexusd logged:\n" + console);
                await Task.Delay(50);
            }
        }
        finally
        {
            Console.SetOut(original);
        }

        Assert.Contains("skipped " + broken, console.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(confDir, "00-plexus.conflist")));
    }
}
