namespace Plexus.Core.Ports;

/// <summary>A pod by namespace and name, as the runtime names it in CNI_ARGS.</summary>
public sealed record PodRef(string Namespace, string Name)
{
    public override string ToString() => $"{Namespace}/{Name}";
}
