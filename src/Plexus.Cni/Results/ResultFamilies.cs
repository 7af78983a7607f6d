namespace Plexus.Cni.Results;

/// <summary>Versions that share one result shape.</summary>
internal enum ResultFamily
{
    V020,
    V040,
    V100,
}

internal static class ResultFamilies
{
    public static ResultFamily Of(CniVersion version)
    {
        if (version == CniVersion.V010 || version == CniVersion.V020)
        {
            return ResultFamily.V020;
        }
        if (version == CniVersion.V030 || version == CniVersion.V031 || version == CniVersion.V040)
        {
            return ResultFamily.V040;
        }
        if (version == CniVersion.V100 || version == CniVersion.V110)
        {
            return ResultFamily.V100;
        }
        throw Unsupported(version.ToString());
    }

    public static CniException Unsupported(string version) =>
        new(CniErrorCode.IncompatibleVersion,
            $"unsupported result cniVersion \"{version}\"",
            "supported: " + string.Join(", ", CniVersion.Supported));
}
