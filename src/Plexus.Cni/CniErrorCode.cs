namespace Plexus.Cni;

/// <summary>Well-known error codes from the CNI specification; 100 and above are plugin-specific.</summary>
public static class CniErrorCode
{
    public const int IncompatibleVersion = 1;
    public const int UnsupportedField = 2;
    public const int ContainerUnknown = 3;
    public const int InvalidEnvironment = 4;
    public const int IoFailure = 5;
    public const int DecodeFailure = 6;
    public const int InvalidNetworkConfig = 7;
    public const int TryAgainLater = 11;
    public const int PluginNotAvailable = 50;
    public const int PluginNotAvailableLimitedConnectivity = 51;

    /// <summary>First code free for plugin-specific errors.</summary>
    public const int PluginSpecific = 100;
}
