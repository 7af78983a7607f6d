
namespace Plexus.Cni.Results;

/// <summary>DNS settings of a result (every spec version).</summary>
public sealed record Dns
{
    public static Dns Empty { get; } = new();

    public IReadOnlyList<string> Nameservers { get => field ?? []; init; }

    public string? Domain { get; init; }

    public IReadOnlyList<string> Search { get => field ?? []; init; }

    public IReadOnlyList<string> Options { get => field ?? []; init; }

    public bool IsEmpty => Nameservers.Count == 0 && string.IsNullOrEmpty(Domain) && Search.Count == 0 && Options.Count == 0;
}
