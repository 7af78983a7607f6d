using System.Globalization;
using System.Text.Json.Nodes;

namespace Plexus.Bench.Infrastructure;

/// <summary>The CPU one TLS client connection cost the probe, by phase (ms).</summary>
internal sealed record TlsConnectSample(string OpenSsl, double InitMs, double ContextMs, double TrustMs, double HandshakeMs)
{
    public double TotalMs => InitMs + ContextMs + TrustMs + HandshakeMs;

    /// <summary>Reads the probe's one line of JSON; anything else is the probe failing.</summary>
    public static TlsConnectSample Parse(string stdout)
    {
        try
        {
            var json = JsonNode.Parse(stdout)?.AsObject() ?? throw new FormatException("not a JSON object");
            return new TlsConnectSample(
                json["openssl"]?.GetValue<string>() ?? throw new FormatException("no \"openssl\""),
                Phase(json, "initMs"), Phase(json, "contextMs"), Phase(json, "trustMs"), Phase(json, "handshakeMs"));
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or FormatException)
        {
            throw new InvalidOperationException($"the TLS probe printed something other than its phases ({e.Message}): {stdout}", e);
        }
    }

    private static double Phase(JsonObject json, string name) =>
        json[name]?.GetValue<double>() is { } ms && ms >= 0 ? ms : throw new FormatException($"no non-negative \"{name}\"");
}

/// <summary>
/// bench/probes/tls-connect.c, compiled with the static OpenSSL plexus links (libssl-dev, needed to publish
/// plexus anyway): one TLS client connection from a fresh process, so the OpenSSL part of a thin ADD can be
/// told apart from Plexus's own work.
/// </summary>
internal sealed class TlsProbe
{
    private readonly string _binary;

    private TlsProbe(string binary) => _binary = binary;

    public static string Source => Path.Combine(AppContext.BaseDirectory, "probes", "tls-connect.c");

    /// <summary>Compiles the probe into <paramref name="workDir"/> with the system's C compiler.</summary>
    public static TlsProbe Build(string workDir)
    {
        var binary = Path.Combine(workDir, "tls-connect");
        try
        {
            Tool.Run("cc", ["-O2", "-o", binary, Source, "-Wl,-Bstatic", "-lssl", "-lcrypto", "-Wl,-Bdynamic"]);
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidOperationException($"compiling {Source} failed (needs a C compiler and libssl-dev): {e.Message}", e);
        }
        return new TlsProbe(binary);
    }

    /// <summary>One connection to 127.0.0.1:<paramref name="port"/>, trusting only <paramref name="caFile"/>.</summary>
    public TlsConnectSample Connect(int port, string caFile)
    {
        var sample = ProcessProbe.Run(ProbeMode.WallTime, [_binary, "127.0.0.1", port.ToString(CultureInfo.InvariantCulture), caFile],
            new Dictionary<string, string>(), []);
        return sample.ExitCode == 0
            ? TlsConnectSample.Parse(sample.Stdout)
            : throw new InvalidOperationException($"the TLS probe failed with exit code {sample.ExitCode} (its error is on the bench's stderr)");
    }
}
