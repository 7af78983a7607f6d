using System.Globalization;
using Plexus.Bench.Infrastructure;
using Plexus.Bench.Reporting;

namespace Plexus.Bench.Scenarios;

/// <summary>
/// The CPU of one TLS client connection to the simulator from a fresh process, with the OpenSSL plexus links:
/// a thin ADD opens one such connection, and DEL none. Its phases go into a note.
/// </summary>
internal static class TlsConnectScenario
{
    public static BenchRow Run(BenchCluster cluster, BenchNode node, int iterations, int warmup, List<string> notes)
    {
        var probe = TlsProbe.Build(node.WorkDir);
        var caFile = cluster.WriteCa(Path.Combine(node.WorkDir, "simulator-ca.pem"));
        for (var i = 0; i < warmup; i++)
        {
            probe.Connect(cluster.Port, caFile);
        }
        var samples = Enumerable.Range(0, iterations).Select(_ => probe.Connect(cluster.Port, caFile)).ToList();
        string Median(Func<TlsConnectSample, double> phase) =>
            Summary.MedianOf([.. samples.Select(phase).Order()]).ToString("F2", CultureInfo.InvariantCulture);
        notes.Add($"TLS client connection, fresh process ({samples[0].OpenSsl}), CPU medians: library init {Median(s => s.InitMs)} ms, " +
            $"SSL_CTX_new {Median(s => s.ContextMs)} ms, loading the CA {Median(s => s.TrustMs)} ms, handshake {Median(s => s.HandshakeMs)} ms");
        return new BenchRow
        {
            Name = "tls-connect",
            Measures = "CPU of one TLS client connection to the API simulator from a fresh process (C probe, same static OpenSSL as plexus): a thin ADD's fixed cost",
            Unit = "ms CPU",
            Candidate = new Side(samples[0].OpenSsl, Summary.Of(samples.Select(s => s.TotalMs))),
        };
    }
}
