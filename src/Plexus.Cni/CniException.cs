namespace Plexus.Cni;

/// <summary>
/// The one error type of the protocol: a spec error code, a short message and optional details.
/// A delegate's error JSON is parsed back into this type; the plugin skeleton prints it as error JSON.
/// </summary>
public sealed class CniException : Exception
{
    public CniException(int code, string message, string? details = null, Exception? inner = null)
        : base(message, inner)
    {
        Code = code;
        Details = details;
    }

    public int Code { get; }

    public string? Details { get; }

    public static CniException InvalidEnvironment(string message, string? details = null) =>
        new(CniErrorCode.InvalidEnvironment, message, details);

    public static CniException InvalidConfig(string message, string? details = null) =>
        new(CniErrorCode.InvalidNetworkConfig, message, details);

    public static CniException Decode(string message, string? details = null) =>
        new(CniErrorCode.DecodeFailure, message, details);

    public static CniException Io(string message, string? details = null, Exception? inner = null) =>
        new(CniErrorCode.IoFailure, message, details, inner);

    /// <summary>The same error with <paramref name="context"/> (the pod, network or file it happened in) before its message.</summary>
    public CniException In(string context) => new(Code, $"{context}: {Message}", Details, this);
}
