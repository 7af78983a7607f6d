// Placeholder entry point until the plugin skeleton lands: answers VERSION only.
using Plexus.Cni;

if (Environment.GetEnvironmentVariable("CNI_COMMAND") == "VERSION")
{
    Console.Out.Write("{\"cniVersion\":\"" + CniVersion.Latest + "\",\"supportedVersions\":[" +
        string.Join(",", CniVersion.Supported.Select(v => "\"" + v + "\"")) + "]}");
    return 0;
}
Console.Error.WriteLine("plexus: only VERSION is implemented so far");
return 1;
