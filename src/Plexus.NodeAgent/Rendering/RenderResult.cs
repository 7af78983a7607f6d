namespace Plexus.NodeAgent.Rendering;

/// <summary>Rendered bytes, or the reason there are none.</summary>
public sealed record RenderResult
{
    public byte[]? Bytes { get; init; }

    public string PrimaryNetworkName { get; init; } = "";

    public string? Error { get; init; }

    public static RenderResult Ok(byte[] bytes, string primaryNetworkName) => new() { Bytes = bytes, PrimaryNetworkName = primaryNetworkName };

    public static RenderResult Fail(string error) => new() { Error = error };
}
