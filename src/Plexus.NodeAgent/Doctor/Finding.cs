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
    /// <summary>
    /// Where the conf file it is about is, when it is about one: <see cref="File"/> is its name only, and a separate
    /// autoconfig dir may hold a file of the same name as the conf dir.
    /// </summary>
    public string? Path { get; init; }

    public bool IsProblem => Severity != FindingSeverity.Info;
}
