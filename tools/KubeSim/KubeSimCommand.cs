using System.Globalization;
using System.Runtime.InteropServices;
using Plexus.Cni.IO;

namespace Plexus.KubeSim;

/// <summary>The kube-sim executable: parse flags, start the server, print its URL, run until SIGTERM/SIGINT.</summary>
internal static class KubeSimCommand
{
    private const string Usage = """
        usage: kube-sim [--port N] [--kubeconfig-out PATH] [--token TOKEN | --token-file FILE] [--ca-out PATH]
                        [--state-dir DIR] [--history N] [--continue-ttl-seconds S]
                        [--bookmark-seconds S] [--kubernetes-version vX.Y.Z]
                        [--latency-ms MS] [--error-share 0..1] [--error-code 500|429]
        Serves a simulated Kubernetes API on https://127.0.0.1:PORT and prints that URL on the first line.
        """;

    private static readonly HashSet<string> Flags =
    [
        "--port", "--token", "--token-file", "--state-dir", "--kubeconfig-out", "--history", "--continue-ttl-seconds", "--bookmark-seconds",
        "--kubernetes-version", "--ca-out", "--latency-ms", "--error-share", "--error-code",
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        KubeSimOptions options;
        string? caOut;
        (double LatencyMs, double ErrorShare, int ErrorCode) faults;
        try
        {
            (options, caOut, faults) = Parse(args);
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync($"kube-sim: {e.Message}\n{Usage}");
            return 2;
        }
        await using var server = await KubeSimServer.StartAsync(options);
        server.Faults.Latency = TimeSpan.FromMilliseconds(faults.LatencyMs);
        server.Faults.ErrorShare = faults.ErrorShare;
        server.Faults.ErrorCode = faults.ErrorCode;
        if (caOut is not null) AtomicFile.WriteAllText(caOut, server.CaPem, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var stop = new TaskCompletionSource();
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.TrySetResult(); });
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.TrySetResult(); });
        Console.Out.WriteLine(server.BaseUrl);
        Console.Out.Flush();
        await stop.Task;
        return 0;
    }

    private static (KubeSimOptions, string?, (double, double, int)) Parse(string[] args)
    {
        var options = new KubeSimOptions();
        string? caOut = null;
        double latency = 0, share = 0;
        var code = 500;
        for (var i = 0; i < args.Length; i++)
        {
            var flag = args[i];
            if (flag is "-h" or "--help") throw new ArgumentException("help requested");
            if (!Flags.Contains(flag)) throw new ArgumentException($"unknown flag {flag}");
            var value = i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{flag} needs a value");
            options = flag switch
            {
                "--port" => options with { Port = Number(flag, value, 0, 65535) },
                "--token" => options with { Token = value },
                "--token-file" => options with { TokenFile = value },
                "--state-dir" => options with { StateDir = value },
                "--kubeconfig-out" => options with { KubeconfigOut = value },
                "--history" => options with { HistoryLimit = Number(flag, value, 1, int.MaxValue) },
                "--continue-ttl-seconds" => options with { ContinueTtl = TimeSpan.FromSeconds(Number(flag, value, 1, 86_400)) },
                "--bookmark-seconds" => options with { BookmarkInterval = TimeSpan.FromSeconds(Number(flag, value, 1, 3600)) },
                "--kubernetes-version" => options with { KubernetesVersion = value },
                _ => options,
            };
            switch (flag)
            {
                case "--ca-out": caOut = value; break;
                case "--latency-ms": latency = Number(flag, value, 0, 600_000); break;
                case "--error-share": share = Fraction(flag, value); break;
                case "--error-code":
                    code = int.TryParse(value, CultureInfo.InvariantCulture, out var c) && c is 429 or 500
                        ? c : throw new ArgumentException("--error-code must be 500 or 429");
                    break;
            }
        }
        return (options, caOut, (latency, share, code));
    }

    private static int Number(string flag, string value, int min, int max) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n : throw new ArgumentException($"{flag} must be a whole number from {min} to {max}, not '{value}'");

    private static double Fraction(string flag, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d is >= 0 and <= 1
            ? d : throw new ArgumentException($"{flag} must be a number from 0 to 1, not '{value}'");
}
