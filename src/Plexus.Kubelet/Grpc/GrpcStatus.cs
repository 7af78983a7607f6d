namespace Plexus.Kubelet.Grpc;

/// <summary>A call's outcome from its <c>grpc-status</c> and <c>grpc-message</c>.</summary>
internal sealed record GrpcStatus(int Code, string Message)
{
    public const int Ok = 0;

    private static readonly string[] Names =
    [
        "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS",
        "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE",
        "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED",
    ];

    public bool IsOk => Code == Ok;

    /// <summary>Parses the header values; null when <paramref name="code"/> is not a status code.</summary>
    public static GrpcStatus? Parse(string? code, string? message) =>
        int.TryParse(code, System.Globalization.NumberStyles.None, null, out var value)
            // grpc-message is percent-encoded UTF-8.
            ? new GrpcStatus(value, message is null ? "" : Uri.UnescapeDataString(message))
            : null;

    public override string ToString() =>
        $"{(Code >= 0 && Code < Names.Length ? Names[Code] : $"status {Code}")}{(Message.Length > 0 ? $": {Message}" : "")}";
}
