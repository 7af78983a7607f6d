namespace Plexus.Cni.Tests.Results;

/// <summary>Canonical result JSON per spec version (property order as Plexus writes it).</summary>
internal static class ResultSamples
{
    public const string Dns = """{"nameservers":["10.1.0.1"],"domain":"example.com","search":["svc.example.com"],"options":["ndots:2"]}""";

    public static string V020(string version) =>
        "{\"cniVersion\":\"" + version + "\","
        + "\"ip4\":{\"ip\":\"10.1.0.5/24\",\"gateway\":\"10.1.0.1\",\"routes\":[{\"dst\":\"0.0.0.0/0\",\"gw\":\"10.1.0.1\"}]},"
        + "\"ip6\":{\"ip\":\"fd00::5/64\",\"gateway\":\"fd00::1\",\"routes\":[{\"dst\":\"::/0\",\"gw\":\"fd00::1\"}]},"
        + "\"dns\":" + Dns + "}";

    public static string V040(string version) =>
        "{\"cniVersion\":\"" + version + "\","
        + "\"interfaces\":[{\"name\":\"cni0\",\"mac\":\"0a:58:0a:01:00:01\"},{\"name\":\"eth0\",\"mac\":\"0a:58:0a:01:00:05\",\"sandbox\":\"/var/run/netns/pod\"}],"
        + "\"ips\":[{\"version\":\"4\",\"interface\":1,\"address\":\"10.1.0.5/24\",\"gateway\":\"10.1.0.1\"},{\"version\":\"6\",\"interface\":1,\"address\":\"fd00::5/64\",\"gateway\":\"fd00::1\"}],"
        + "\"routes\":[{\"dst\":\"0.0.0.0/0\",\"gw\":\"10.1.0.1\"},{\"dst\":\"::/0\",\"gw\":\"fd00::1\"}],"
        + "\"dns\":" + Dns + "}";

    public static string V100(string version) =>
        "{\"cniVersion\":\"" + version + "\","
        + "\"interfaces\":[{\"name\":\"cni0\",\"mac\":\"0a:58:0a:01:00:01\"},{\"name\":\"eth0\",\"mac\":\"0a:58:0a:01:00:05\",\"sandbox\":\"/var/run/netns/pod\"}],"
        + "\"ips\":[{\"interface\":1,\"address\":\"10.1.0.5/24\",\"gateway\":\"10.1.0.1\"},{\"interface\":1,\"address\":\"fd00::5/64\",\"gateway\":\"fd00::1\"}],"
        + "\"routes\":[{\"dst\":\"0.0.0.0/0\",\"gw\":\"10.1.0.1\"},{\"dst\":\"::/0\",\"gw\":\"fd00::1\"}],"
        + "\"dns\":" + Dns + "}";

    /// <summary>1.1.0 with every field the version added.</summary>
    public static string V110Full(string version = "1.1.0") =>
        "{\"cniVersion\":\"" + version + "\","
        + "\"interfaces\":[{\"name\":\"eth0\",\"mac\":\"0a:58:0a:01:00:05\",\"mtu\":9000,\"sandbox\":\"/var/run/netns/pod\",\"socketPath\":\"/run/vhost.sock\",\"pciID\":\"0000:00:1f.6\"}],"
        + "\"ips\":[{\"interface\":0,\"address\":\"10.1.0.5/24\",\"gateway\":\"10.1.0.1\"}],"
        + "\"routes\":[{\"dst\":\"10.2.0.0/16\",\"gw\":\"10.1.0.1\",\"mtu\":1400,\"advmss\":1360,\"priority\":100,\"table\":200,\"scope\":0}],"
        + "\"dns\":" + Dns + "}";

    /// <summary>A canonical sample for any supported version.</summary>
    public static string For(string version) => version switch
    {
        "0.1.0" or "0.2.0" => V020(version),
        "0.3.0" or "0.3.1" or "0.4.0" => V040(version),
        _ => V100(version),
    };

    public static TheoryData<string> Versions() => new(CniVersion.Supported.Select(v => v.ToString()));

    public static TheoryData<string, string> VersionPairs()
    {
        var data = new TheoryData<string, string>();
        foreach (var from in CniVersion.Supported)
        {
            foreach (var to in CniVersion.Supported)
            {
                data.Add(from.ToString(), to.ToString());
            }
        }
        return data;
    }
}
