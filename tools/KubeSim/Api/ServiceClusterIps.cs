using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using static Plexus.KubeSim.Api.ObjectLifecycle;

namespace Plexus.KubeSim.Api;

/// <summary>
/// What kube-apiserver's Service storage does with clusterIP, clusterIPs and the IP family fields before
/// it allocates, for a single-stack IPv4 cluster: patchAllocatedValues and normalizeClusterIPs (the
/// singular and plural kept in step), then initIPFamilyFields, which checks what the client sent
/// (ValidateServiceClusterIPsRelatedFields) before any address is allocated, and defaults the policy
/// and families. <see cref="UpdateCauses"/> is ValidateServiceUpdate's check that the addresses stay.
/// </summary>
internal static class ServiceClusterIps
{
    private const string ValidIpExample = "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)";

    /// <summary>The Service's cluster IPs and families, ready for allocation; a 422 for what the client got wrong.</summary>
    public static void Prepare(JsonObject spec, JsonObject? previousSpec, string name)
    {
        if (previousSpec is null) NormalizeOnCreate(spec);
        else NormalizeOnUpdate(spec, previousSpec);
        if (Text(spec["type"]) == "ExternalName") return;
        InitIpFamilyFields(spec, previousSpec, name);
    }

    /// <summary>isHeadlessService: "None" alone; with another address beside it the Service is not headless.</summary>
    public static bool IsHeadless(JsonObject spec) => Addresses(spec) is ["None"];

    /// <summary>The cluster IPs as a Go []string printed with %#v, as field errors show them.</summary>
    public static string GoStrings(IEnumerable<string> values) => $"[]string{{{string.Join(", ", values.Select(Quote))}}}";

    public static List<string> Addresses(JsonObject spec) => (spec["clusterIPs"] as JsonArray ?? []).Select(Text).ToList();

    /// <summary>validateUpgradeDowngradeClusterIPs: the primary address never changes, nor goes, while the Service keeps one.</summary>
    public static IEnumerable<string> UpdateCauses(JsonObject spec, JsonObject previousSpec)
    {
        if (Text(spec["type"]) == "ExternalName" || Text(previousSpec["type"]) == "ExternalName") yield break;
        if (IsHeadless(spec) && IsHeadless(previousSpec)) yield break;
        var addresses = Addresses(spec);
        var previous = Addresses(previousSpec);
        var shown = GoStrings(addresses);
        if (addresses.Count == previous.Count)
        {
            foreach (var i in Enumerable.Range(0, previous.Count).Where(i => previous[i] != addresses[i]))
            {
                yield return $"spec.clusterIPs[{i}]: Invalid value: {shown}: may not change once set";
            }
        }
        else if (addresses.Count == 0)
        {
            yield return $"spec.clusterIPs[0]: Invalid value: {shown}: primary clusterIP can not be unset";
        }
        else if (previous.Count > 0 && addresses[0] != previous[0])
        {
            yield return $"spec.clusterIPs[0]: Invalid value: {shown}: may not change once set";
        }
    }

    // normalizeClusterIPs on create: an old client's singular clusterIP stands for the plural; a plural without
    // the singular is left for validation to refuse.
    private static void NormalizeOnCreate(JsonObject spec)
    {
        if (Text(spec["clusterIP"]).Length > 0 && spec["clusterIPs"] is not JsonArray { Count: > 0 })
        {
            spec["clusterIPs"] = new JsonArray(Text(spec["clusterIP"]));
        }
    }

    // patchAllocatedValues keeps the addresses an update left out; normalizeClusterIPs then follows a changed
    // singular when the plural was left as it was (validation refuses the change itself).
    private static void NormalizeOnUpdate(JsonObject spec, JsonObject previousSpec)
    {
        var previous = Addresses(previousSpec);
        if (Text(spec["type"]) != "ExternalName" && Text(previousSpec["type"]) != "ExternalName")
        {
            if (Text(spec["clusterIP"]).Length == 0 && Text(previousSpec["clusterIP"]) is { Length: > 0 } kept) spec["clusterIP"] = kept;
            if (Addresses(spec).Count == 0 && previous.Count > 0) spec["clusterIPs"] = previousSpec["clusterIPs"]!.DeepClone();
        }
        if (previous.Count > 0 && Addresses(spec).Count == 0 && Text(spec["clusterIP"]) == Text(previousSpec["clusterIP"]))
        {
            spec["clusterIPs"] = previousSpec["clusterIPs"]!.DeepClone();
        }
        var singular = Text(spec["clusterIP"]);
        if (singular == Text(previousSpec["clusterIP"]) || !Addresses(spec).SequenceEqual(previous)) return;
        if (singular.Length == 0) spec.Remove("clusterIPs");
        else spec["clusterIPs"] = new JsonArray(singular);
    }

    // initIPFamilyFields for a cluster whose only family is IPv4.
    private static void InitIpFamilyFields(JsonObject spec, JsonObject? previousSpec, string name)
    {
        var headlessWithoutSelector = Text(spec["clusterIP"]) == "None" && spec["selector"] is not JsonObject { Count: > 0 };
        // A policy the client left out is the old version's, or (headless without a selector) dual stack, else single stack.
        spec["ipFamilyPolicy"] ??= previousSpec?["ipFamilyPolicy"]?.DeepClone()
            ?? (headlessWithoutSelector ? "RequireDualStack" : "SingleStack");
        if (RelatedFieldCauses(spec) is [_, ..] sentWrong) throw ApiException.Invalid("Service", name, sentWrong);

        var policy = Text(spec["ipFamilyPolicy"]);
        var families = (spec["ipFamilies"] as JsonArray ?? []).Select(Text).ToList();
        var addresses = Addresses(spec);
        var causes = new List<string>();
        if (policy == "SingleStack")
        {
            if (addresses.Count == 2) causes.Add("spec.ipFamilyPolicy: Invalid value: \"SingleStack\": must be 'RequireDualStack' or 'PreferDualStack' when multiple cluster IPs are specified");
            if (families.Count == 2) causes.Add("spec.ipFamilyPolicy: Invalid value: \"SingleStack\": must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified");
        }
        // Families follow the addresses the client named; one of a family this cluster lacks is refused.
        for (var i = families.Count; i < addresses.Count && addresses[i] != "None"; i++)
        {
            if (ParseIp(addresses[i])!.AddressFamily == AddressFamily.InterNetwork) families.Add("IPv4");
            else causes.Add($"spec.clusterIPs[{i}]: Invalid value: {GoStrings(addresses)}: IPv6 is not configured on this cluster");
        }
        if (causes.Count > 0) throw ApiException.Invalid("Service", name, causes);

        if (families.Count == 0) families.Add("IPv4");
        // Headless without a selector may name both families even here, and a policy other than single stack adds the other.
        if (headlessWithoutSelector)
        {
            if (families.Count == 1 && policy != "SingleStack") families.Add(families[0] == "IPv4" ? "IPv6" : "IPv4");
        }
        else
        {
            if (policy == "RequireDualStack") causes.Add("spec.ipFamilyPolicy: Invalid value: \"RequireDualStack\": this cluster is not configured for dual-stack services");
            causes.AddRange(families.Index().Where(f => f.Item != "IPv4").Select(f => $"spec.ipFamilies[{f.Index}]: Invalid value: \"{f.Item}\": not configured on this cluster"));
            if (causes.Count > 0) throw ApiException.Invalid("Service", name, causes);
        }
        spec["ipFamilies"] = new JsonArray([.. families.Select(f => (JsonNode)f)]);
    }

    // ValidateServiceClusterIPsRelatedFields: the singular and plural agree, the families and policy are known
    // values, the addresses are IPs ("None" only alone), at most one per family and each of its family.
    private static List<string> RelatedFieldCauses(JsonObject spec)
    {
        var causes = new List<string>();
        var singular = Text(spec["clusterIP"]);
        var addresses = Addresses(spec);
        var shown = GoStrings(addresses);
        if (singular.Length > 0)
        {
            if (addresses.Count == 0) causes.Add("spec.clusterIPs: Required value");
            else if (addresses[0] != singular) causes.Add($"spec.clusterIPs: Invalid value: {shown}: first value must match `clusterIP`");
        }
        else if (addresses.Count > 0)
        {
            causes.Add($"spec.clusterIPs: Invalid value: {shown}: must be empty when `clusterIP` is not specified");
        }
        var families = (spec["ipFamilies"] as JsonArray ?? []).Select(Text).ToList();
        var seen = new HashSet<string>();
        for (var i = 0; i < families.Count; i++)
        {
            if (families[i] is not ("IPv4" or "IPv6")) causes.Add($"spec.ipFamilies[{i}]: Unsupported value: {Quote(families[i])}: supported values: \"IPv4\", \"IPv6\"");
            if (!seen.Add(families[i])) causes.Add($"spec.ipFamilies[{i}]: Duplicate value: {Quote(families[i])}");
        }
        var policy = Text(spec["ipFamilyPolicy"]);
        if (policy is not ("SingleStack" or "PreferDualStack" or "RequireDualStack"))
        {
            causes.Add($"spec.ipFamilyPolicy: Unsupported value: {Quote(policy)}: supported values: \"PreferDualStack\", \"RequireDualStack\", \"SingleStack\"");
        }
        var invalidAddress = false;
        for (var i = 0; i < addresses.Count; i++)
        {
            if (i == 0 && addresses[i] == "None")
            {
                if (addresses.Count > 1)
                {
                    invalidAddress = true;
                    causes.Add($"spec.clusterIPs: Invalid value: {shown}: 'None' must be the first and only value");
                }
                continue;
            }
            if (ParseIp(addresses[i]) is null)
            {
                invalidAddress = true;
                causes.Add($"spec.clusterIPs[{i}]: Invalid value: {Quote(addresses[i])}: {ValidIpExample}");
            }
        }
        if (addresses.Count > 2) causes.Add($"spec.clusterIPs: Invalid value: {shown}: may only hold up to 2 values");
        if (invalidAddress) return causes;

        var parsed = addresses.Select(ParseIp).ToList();
        if (parsed.Count > 1 && parsed.Select(ip => ip!.AddressFamily).Distinct().Count() != parsed.Count)
        {
            causes.Add($"spec.clusterIPs: Invalid value: {shown}: may specify no more than one IP for each IP family");
        }
        if (!IsHeadless(spec))
        {
            for (var i = 0; i < Math.Min(addresses.Count, families.Count); i++)
            {
                var isV6 = parsed[i]!.AddressFamily == AddressFamily.InterNetworkV6;
                if (families[i] == "IPv4" && isV6) causes.Add($"spec.clusterIPs[{i}]: Invalid value: {Quote(addresses[i])}: expected an IPv4 value as indicated by `ipFamilies[{i}]`");
                if (families[i] == "IPv6" && !isV6) causes.Add($"spec.clusterIPs[{i}]: Invalid value: {Quote(addresses[i])}: expected an IPv6 value as indicated by `ipFamilies[{i}]`");
            }
        }
        return causes;
    }

    /// <summary>
    /// An IP as Go's net.ParseIP reads it: four decimal fields (leading zeros allowed) or an IPv6 address
    /// without a zone; not the shortened IPv4 forms ("10", "10.1") that .NET also accepts.
    /// </summary>
    public static IPAddress? ParseIp(string text)
    {
        if (text.Contains(':'))
        {
            return !text.Contains('%') && IPAddress.TryParse(text, out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6 ? v6 : null;
        }
        var fields = text.Split('.');
        if (fields.Length != 4) return null;
        var bytes = new byte[4];
        for (var i = 0; i < 4; i++)
        {
            if (fields[i].Length is 0 or > 3 || !fields[i].All(char.IsAsciiDigit)) return null;
            var value = int.Parse(fields[i], CultureInfo.InvariantCulture);
            if (value > 255) return null;
            bytes[i] = (byte)value;
        }
        return new IPAddress(bytes);
    }

    // Go's %q, as the other Service messages quote their values.
    private static string Quote(string value) => $"\"{value}\"";
}
