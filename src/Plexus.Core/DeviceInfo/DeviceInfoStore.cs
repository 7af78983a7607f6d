using System.Text.Json;
using System.Text.Json.Nodes;
using Plexus.Cni.IO;
using Plexus.Cni.Json;

namespace Plexus.Core.DeviceInfo;

/// <summary>
/// Reads and writes device-info files. Device info is an optional extra of network-status, so a
/// missing or unusable file is a reason (for the log), never a failed attachment.
/// </summary>
internal sealed class DeviceInfoStore(DeviceInfoPaths paths)
{
    // Readable by the pods that mount the directory; written whole, as the NPWG spec's producers do.
    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private const UnixFileMode DirMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    public DeviceInfoPaths Paths => paths;

    /// <summary>Copies the device plugin's file for the device to <paramref name="attachmentFile"/>; the reason when it cannot.</summary>
    public string? CopyFromDevicePlugin(string resourceName, string deviceId, string attachmentFile, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var source = paths.ForDevicePlugin(resourceName, deviceId);
        try
        {
            var content = File.ReadAllBytes(source);
            AtomicFile.EnsureDirectory(paths.CniDir, DirMode);
            AtomicFile.WriteAllBytes(attachmentFile, content, FileMode, syncDirectory: false);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"no device info copied from {source}: {e.Message}";
        }
    }

    /// <summary>The file's JSON object, or the reason there is none.</summary>
    public (JsonObject? Info, string? Problem) Load(string attachmentFile)
    {
        try
        {
            return JsonNode.Parse(File.ReadAllBytes(attachmentFile), documentOptions: CniJson.DocumentOptions) is JsonObject info
                ? (info, null)
                : (null, $"device info {attachmentFile} is not a JSON object");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return (null, $"device info {attachmentFile} not read: {e.Message}");
        }
    }

    /// <summary>Removes an attachment's file (DEL, rollback); only files in the <c>cni</c> dir are touched. The reason when it cannot.</summary>
    public string? Remove(string attachmentFile)
    {
        if (!paths.IsAttachmentFile(attachmentFile))
        {
            return $"device info {attachmentFile} left alone: not in {paths.CniDir}";
        }
        try
        {
            File.Delete(attachmentFile);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"device info {attachmentFile} not removed: {e.Message}";
        }
    }
}
