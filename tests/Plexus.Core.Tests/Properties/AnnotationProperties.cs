using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using Plexus.Core.Selection;

namespace Plexus.Core.Tests.Properties;

/// <summary>Printing selections in either annotation form and parsing them back gives the same selections.</summary>
public sealed class AnnotationProperties
{
    private const string PodNamespace = "pod-ns";

    private static readonly Gen<string> Label =
        from first in Gen.Char["abcz09"]
        from middle in Gen.String[Gen.Char["abcz09-"], 0, 20]
        from last in Gen.Char["abz19"]
        select first + middle + last;

    private static readonly Gen<string> IfName = Gen.String[Gen.Char["abcnet0123456789-_."], 1, 15].Where(n => n is not ("." or ".."));

    private static readonly Gen<string?> OptionalIfName = Gen.Frequency((1, Gen.Const(default(string))), (2, IfName.Select(n => (string?)n)));

    private static readonly Gen<string?> OptionalNamespace = Gen.Frequency((1, Gen.Const(default(string))), (2, Label.Select(n => (string?)n)));

    private static readonly Gen<List<NetworkSelection>> CommaSelections =
        (from name in Label from ns in OptionalNamespace from ifName in OptionalIfName
         select new NetworkSelection { Name = name, Namespace = ns, Interface = ifName }).List[1, 5];

    private static readonly Gen<List<NetworkSelection>> JsonSelections =
        (from basic in CommaSelections.Select(l => l[0])
         from ips in Gen.Int[1, 254].Select(i => $"10.1.2.{i}/24").List[0, 2]
         from mac in Gen.Byte.Array[5].Select(b => "02:" + string.Join(':', b.Select(x => x.ToString("x2"))))
         from gateways in Gen.Int[1, 254].Select(i => $"10.1.2.{i}").List[0, 1]
         from args in Gen.Dictionary(Label, Label)[0, 2]
         select basic with
         {
             Ips = ips.Count == 0 ? null : ips,
             Mac = mac,
             DefaultRoute = gateways.Count == 0 ? null : gateways,
             CniArgs = args.Count == 0 ? null : new JsonObject(args.Select(a => KeyValuePair.Create(a.Key, (JsonNode?)a.Value))),
         }).List[1, 4];

    [Fact]
    public void Parse_PrintedCommaForm_SameSelections()
    {
        CommaSelections.Sample(selections =>
        {
            var text = string.Join(", ", selections.Select(Print));

            var parsed = NetworkSelectionParser.Parse(text, PodNamespace);

            Assert.Equal(selections.Select(s => s with { Namespace = s.Namespace ?? PodNamespace }), parsed);
            Assert.Equal(parsed, NetworkSelectionParser.Parse(string.Join(",", parsed.Select(Print)), "other-ns"));
        });
    }

    [Fact]
    public void Parse_PrintedJsonForm_SameJson()
    {
        JsonSelections.Sample(selections =>
        {
            var text = JsonSerializer.Serialize(selections, CoreJsonContext.Default.ListNetworkSelection);

            var parsed = NetworkSelectionParser.Parse(text, PodNamespace);

            var expected = selections.Select(s => s with { Namespace = s.Namespace ?? PodNamespace }).ToList();
            Assert.Equal(
                JsonSerializer.Serialize(expected, CoreJsonContext.Default.ListNetworkSelection),
                JsonSerializer.Serialize(parsed.ToList(), CoreJsonContext.Default.ListNetworkSelection));
        });
    }

    private static string Print(NetworkSelection s) =>
        (s.Namespace is null ? "" : s.Namespace + "/") + s.Name + (s.Interface is null ? "" : "@" + s.Interface);
}
