using Plexus.Cni;
using Plexus.Core.Netns;
using Plexus.Core.Routes;

namespace Plexus.Core.Tests.Service;

/// <summary>
/// A pod namespace for unit tests: the links it has are given, every default-route edit asked for is kept, and
/// the edit fails with <see cref="Failure"/> when set.
/// </summary>
internal sealed class RecordingPodNetwork : IPodNetwork
{
    private readonly List<(string Netns, IReadOnlyList<DefaultRouteChange> Changes)> _applied = [];

    public HashSet<string> Links { get; init; } = [];

    public CniException? Failure { get; set; }

    public IReadOnlyList<(string Netns, IReadOnlyList<DefaultRouteChange> Changes)> Applied
    {
        get
        {
            lock (_applied)
            {
                return [.. _applied];
            }
        }
    }

    /// <summary>Every change asked for, as <c>IPv4 via GW dev IF, flush from A,B</c>, in order.</summary>
    public IEnumerable<string> AppliedText => Applied.SelectMany(a => a.Changes).Select(Describe);

    public static string Describe(DefaultRouteChange change) =>
        $"{change.FamilyName} via {change.Gateway} dev {change.IfName}, flush from {string.Join(',', change.RemoveFrom)}";

    public Task<IReadOnlySet<string>> InterfaceNamesAsync(string netnsPath, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlySet<string>>(Links.ToHashSet(StringComparer.Ordinal));

    public Task ApplyDefaultRoutesAsync(string netnsPath, IReadOnlyList<DefaultRouteChange> changes, CancellationToken cancellationToken)
    {
        lock (_applied)
        {
            _applied.Add((netnsPath, changes));
        }
        return Failure is { } failure ? Task.FromException(failure) : Task.CompletedTask;
    }
}
