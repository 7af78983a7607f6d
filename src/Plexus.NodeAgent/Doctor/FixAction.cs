namespace Plexus.NodeAgent.Doctor;

/// <summary>One thing <c>plexus doctor --fix</c> did, or tried and could not do (then the message says why and what to do).</summary>
public sealed record FixAction(bool Done, string Message)
{
    public static FixAction Fixed(string message) => new(true, message);

    public static FixAction NotFixed(string message) => new(false, message);
}
