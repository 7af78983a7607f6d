namespace Plexus.NodeAgent.Doctor;

public enum FindingSeverity
{
    Info,
    Warning,
    Error,
}

/// <summary>One doctor finding: how bad, a stable code, the file it is about, and what to do.</summary>
public sealed record Finding(FindingSeverity Severity, string Code, string File, string Message)
{
    public bool IsProblem => Severity != FindingSeverity.Info;
}
