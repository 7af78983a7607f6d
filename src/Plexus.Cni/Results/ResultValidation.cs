namespace Plexus.Cni.Results;

/// <summary>Checks shared by the 0.3.0+ result shapes; failures are the spec's decode error (code 6).</summary>
internal static class ResultValidation
{
    public static void Validate(IReadOnlyList<IpConfig> ips, IReadOnlyList<Route> routes)
    {
        for (var i = 0; i < ips.Count; i++)
        {
            var ip = ips[i];
            ip.Validate($"ips[{i}]");
            if (ip.Version is not null and not "4" and not "6")
            {
                throw CniException.Decode($"invalid result: ips[{i}].version \"{ip.Version}\" must be \"4\" or \"6\"");
            }
        }
        for (var i = 0; i < routes.Count; i++)
        {
            routes[i].Validate($"routes[{i}]");
        }
    }
}
