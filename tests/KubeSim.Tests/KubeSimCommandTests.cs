using System.Diagnostics;

namespace Plexus.KubeSim.Tests;

/// <summary>
/// The kube-sim executable's flag checking. (Starting it and reading its URL is exercised by
/// Plexus.Deploy.Tests, which drive the published artifacts/bin/kube-sim with kubectl.)
/// </summary>
public sealed class KubeSimCommandTests
{
    private static readonly string Binary = Path.Combine(AppContext.BaseDirectory, "kube-sim");

    [Theory]
    [InlineData("--bogus", "1", "unknown flag --bogus")]
    [InlineData("--port", "70000", "--port must be a whole number from 0 to 65535")]
    [InlineData("--error-code", "503", "--error-code must be 500 or 429")]
    [InlineData("--continue-ttl-seconds", "0", "--continue-ttl-seconds must be a whole number from 1 to 86400")]
    [InlineData("--port", null, "--port needs a value")]
    public async Task Run_BadFlag_Exit2WithUsage(string flag, string? value, string message)
    {
        var info = new ProcessStartInfo(Binary) { RedirectStandardError = true, RedirectStandardOutput = true };
        info.ArgumentList.Add(flag);
        if (value is not null) info.ArgumentList.Add(value);
        using var process = Process.Start(info)!;
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Equal(2, process.ExitCode);
        Assert.Contains(message, stderr);
        Assert.Contains("usage: kube-sim", stderr);
        Assert.Equal("", await process.StandardOutput.ReadToEndAsync());
    }

}
