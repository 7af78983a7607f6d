using System.Text.Json.Nodes;
using Plexus.Cni;

namespace Plexus.Daemon.Cni;

/// <summary>
/// How a request ended: a result (already in the request's cniVersion; null for verbs without one)
/// or a CNI error. <see cref="Version"/> stamps the error JSON.
/// </summary>
public sealed record CniOutcome(CniVersion Version, JsonObject? Result, CniException? Error)
{
    public static CniOutcome Success(CniVersion version, JsonObject? result) => new(version, result, null);

    public static CniOutcome Failure(CniVersion version, CniException error) => new(version, null, error);
}
