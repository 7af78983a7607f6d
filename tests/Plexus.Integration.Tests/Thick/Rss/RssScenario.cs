namespace Plexus.Integration.Tests.Thick.Rss;

/// <summary>
/// One memory scenario: pods on the daemon's node and NADs in the cluster. <see cref="TargetMiB"/> is issue 6's
/// target (null for the idle row); <see cref="CeilingMiB"/> is what the tests enforce, the figure measured
/// here plus room for noise, lowered whenever a change cuts memory so that nothing grows it back unnoticed.
/// </summary>
public sealed record RssScenario(int PodsOnNode, int Nads, int? TargetMiB, int CeilingMiB)
{
    public static IReadOnlyList<RssScenario> All { get; } =
    [
        new(0, 0, null, 34),
        new(250, 1_000, 24, 35),
        new(250, 10_000, 30, 39),
        new(10_000, 1_000, 57, 40),
    ];

    public override string ToString() => $"{Thousands(PodsOnNode)} pods + {Thousands(Nads)} NADs";

    private static string Thousands(int n) => n.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// What <see cref="DaemonRssProbe"/> read from /proc/PID/status (KiB; anonymous memory is the GC heap plus
/// NativeAOT's rehydrated runtime data, file-backed the executable's touched pages), and how long the caches took to sync.
/// </summary>
public sealed record RssMeasurement(RssScenario Scenario, long RssKiB, long HwmKiB, long AnonKiB, long FileKiB, TimeSpan SyncTime)
{
    public double RssMiB => RssKiB / 1024.0;

    public double HwmMiB => HwmKiB / 1024.0;

    public override string ToString() =>
        $"{Scenario}: VmRSS {RssMiB:F1} MiB (anon {AnonKiB / 1024.0:F1}, file {FileKiB / 1024.0:F1}), VmHWM {HwmMiB:F1} MiB, " +
        $"target {Scenario.TargetMiB?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"} MiB, synced in {SyncTime.TotalSeconds:F1} s";
}
