namespace Plexus.Cni.Skel;

/// <summary>The spec's verbs (<c>CNI_COMMAND</c>).</summary>
public enum CniCommand
{
    Add,
    Del,
    Check,
    Gc,
    Status,
    Version,
}
