using Plexus.Cni.Config;

namespace Plexus.Cni.ConfFiles;

/// <summary>
/// Turns a conf file's bytes into the list the runtime executes, chosen by extension as libcni
/// does: <c>.conflist</c> is a <see cref="NetworkConfigList"/>; <c>.conf</c>/<c>.json</c> is one
/// <see cref="NetworkConfig"/> wrapped as <c>{name, cniVersion, plugins:[conf]}</c>.
/// Throws <see cref="CniException"/> (6 not JSON, 7 not a usable config) naming the file.
/// </summary>
public static class ConfFileLoader
{
    public static NetworkConfigList LoadList(string fileName, ReadOnlySpan<byte> content)
    {
        if (content.IsEmpty)
        {
            throw CniException.Decode($"{fileName}: file is empty");
        }
        try
        {
            return ConfFileNames.IsList(fileName)
                ? NetworkConfigList.Parse(content)
                : NetworkConfigList.FromConf(NetworkConfig.Parse(content));
        }
        catch (CniException e)
        {
            var details = string.IsNullOrEmpty(e.Details) ? "" : $" ({e.Details})";
            throw new CniException(e.Code, $"{fileName}: {e.Message}{details}", e.Details, e);
        }
    }
}
