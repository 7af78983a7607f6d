using System.Text;
using System.Text.Json;
using Plexus.Cni;
using Plexus.Cni.Json;

namespace Plexus.Core.Selection;

/// <summary>
/// Parses network-selection annotations in both forms: a JSON list of selection elements when
/// the value contains '[', '{' or '"', otherwise <c>[namespace/]name[@ifname]</c> items
/// separated by commas. Every problem is reported at once as one code-7 error.
/// </summary>
internal static class NetworkSelectionParser
{
    public const string NetworksAnnotation = "k8s.v1.cni.cncf.io/networks";
    public const string DefaultNetworkAnnotation = "v1.multus-cni.io/default-network";

    /// <summary>The selections of <paramref name="value"/>, with missing namespaces set to <paramref name="defaultNamespace"/>.</summary>
    public static IReadOnlyList<NetworkSelection> Parse(string? value, string defaultNamespace, string annotation = NetworksAnnotation)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return [];
        }
        var errors = new List<string>();
        var selections = value.AsSpan().IndexOfAny('[', '{', '"') >= 0
            ? ParseJson(value, errors)
            : ParseCommaList(value, errors);
        var resolved = new List<NetworkSelection>(selections.Count);
        for (var i = 0; i < selections.Count; i++)
        {
            var selection = string.IsNullOrEmpty(selections[i].Namespace)
                ? selections[i] with { Namespace = defaultNamespace }
                : selections[i];
            NetworkSelectionValidator.Validate(selection, $"network {i} (\"{selection.Name}\")", errors);
            resolved.Add(selection);
        }
        if (errors.Count > 0)
        {
            throw CniException.InvalidConfig(
                $"invalid {annotation} annotation: {string.Join("; ", errors)}",
                $"annotation value: {value}");
        }
        return resolved;
    }

    /// <summary>The one network of the default-network annotation, or null when it is absent.</summary>
    public static NetworkSelection? ParseDefaultNetwork(string? value, string multusNamespace)
    {
        var selections = Parse(value, multusNamespace, DefaultNetworkAnnotation);
        return selections.Count switch
        {
            0 => null,
            1 => selections[0],
            _ => throw CniException.InvalidConfig(
                $"invalid {DefaultNetworkAnnotation} annotation: it selects {selections.Count} networks, but a pod has exactly one cluster network",
                $"annotation value: {value}"),
        };
    }

    private static List<NetworkSelection> ParseJson(string value, List<string> errors)
    {
        try
        {
            CniJson.RejectDuplicateKeys(Encoding.UTF8.GetBytes(value));
            var list = JsonSerializer.Deserialize(value, CoreJsonContext.Default.ListNetworkSelection);
            if (list is null)
            {
                errors.Add("JSON form is null, expected a list of selection objects");
                return [];
            }
            if (list.Any(s => s is null))
            {
                errors.Add("JSON form contains null elements, expected selection objects");
                return [];
            }
            return list;
        }
        catch (JsonException e)
        {
            errors.Add($"JSON form is not a list of selection objects (at {e.Path ?? "$"}): {e.Message}");
            return [];
        }
    }

    private static List<NetworkSelection> ParseCommaList(string value, List<string> errors)
    {
        var selections = new List<NetworkSelection>();
        foreach (var raw in value.Split(','))
        {
            var item = raw.Trim();
            if (CommaItem.TryParse(item, out var selection, out var problem))
            {
                selections.Add(selection);
            }
            else
            {
                errors.Add($"item \"{item}\": {problem}");
            }
        }
        return selections;
    }
}
