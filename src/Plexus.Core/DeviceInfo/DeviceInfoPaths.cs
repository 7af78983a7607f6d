namespace Plexus.Core.DeviceInfo;

/// <summary>
/// The NPWG device-info file names (under <c>/var/run/k8s.cni.cncf.io/devinfo</c> on a node): a
/// device plugin writes <c>dp/&lt;resource&gt;-&lt;device&gt;-device.json</c>; the meta-plugin copies it
/// to <c>cni/&lt;network&gt;-&lt;containerID&gt;_&lt;ifName&gt;</c>, names that file to the delegate as the
/// <c>CNIDeviceInfoFile</c> capability (the delegate may rewrite it) and puts its content into
/// network-status as <c>device-info</c>. Names are Multus's, with every <c>/</c> replaced by <c>-</c>.
/// </summary>
internal sealed record DeviceInfoPaths(string BaseDir)
{
    public const string NodeDefault = "/var/run/k8s.cni.cncf.io/devinfo";

    public string CniDir => Path.Combine(BaseDir, "cni");

    public string ForDevicePlugin(string resourceName, string deviceId) =>
        Path.Combine(BaseDir, "dp", $"{Flat(resourceName)}-{Flat(deviceId)}-device.json");

    public string ForAttachment(string network, string containerId, string ifName) =>
        Path.Combine(CniDir, Flat($"{network}-{containerId}_{ifName}"));

    /// <summary>True for a path this meta-plugin may have written (DEL deletes only those).</summary>
    public bool IsAttachmentFile(string path) =>
        Path.GetDirectoryName(Path.GetFullPath(path)) == Path.GetFullPath(CniDir);

    private static string Flat(string name) => name.Replace('/', '-');
}
