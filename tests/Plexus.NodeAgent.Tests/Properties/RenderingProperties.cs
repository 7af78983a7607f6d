using System.Text;
using System.Text.Json.Nodes;
using CsCheck;
using Plexus.Cni.ConfFiles;
using Plexus.NodeAgent.Rendering;
using Plexus.NodeAgent.Selection;

namespace Plexus.NodeAgent.Tests.Properties;

/// <summary>
/// Over generated conf dirs (real primaries, meta-plugin configs nested at any depth, broken files):
/// the generated config embeds exactly one meta-plugin (itself), and generating again over a dir that
/// now holds the output gives the same primary and the same bytes.
/// </summary>
public sealed class RenderingProperties
{
    private static readonly Gen<string> Word = Gen.String[Gen.Char["abcxyz0123-"], 1, 8];

    private static readonly Gen<JsonObject> Plugin =
        from type in Gen.OneOf("bridge", "calico", "flannel", "ptp", "portmap", "tuning")
        from caps in Gen.OneOf("portMappings", "bandwidth", "ips", "mac").List[0, 2]
        select new JsonObject
        {
            ["type"] = type,
            ["capabilities"] = new JsonObject(caps.Distinct().Select(c => KeyValuePair.Create(c, (JsonNode?)true))),
        };

    private static readonly Gen<string> Primary =
        from name in Word from version in Gen.OneOf("0.3.1", "0.4.0", "1.0.0") from plugins in Plugin.List[1, 3]
        select new JsonObject { ["cniVersion"] = version, ["name"] = name, ["plugins"] = new JsonArray([.. plugins]) }.ToJsonString();

    // A meta-plugin config wrapping a real one 1-3 levels deep, at the top or inside delegates/plugins.
    private static readonly Gen<string> Meta =
        from inner in Primary from type in Gen.OneOf("plexus", "plexus-shim", "multus", "multus-shim")
        from depth in Gen.Int[1, 3] from asConflist in Gen.Bool
        select Wrap(JsonNode.Parse(inner)!.AsObject(), type, depth, asConflist).ToJsonString();

    private static readonly Gen<string> Broken = Gen.OneOf("{", "[]", "{\"name\":\"x\"}", "");

    private static readonly Gen<List<ConfFile>> ConfDir =
        (from prefix in Gen.Int[0, 99] from ext in Gen.OneOf(".conf", ".conflist", ".json")
         from content in Gen.Frequency((3, Primary), (3, Meta), (1, Broken))
         select ConfFile.FromBytes($"{prefix:00}-{ext.TrimStart('.')}{ext}", Encoding.UTF8.GetBytes(content), "/etc/cni/net.d"))
        .List[1, 6].Select(files => files.DistinctBy(f => f.Name).ToList());

    public static TheoryData<string> PluginTypes => new() { "plexus", "plexus-shim" };

    [Theory]
    [MemberData(nameof(PluginTypes))]
    public void Render_GeneratedConfDir_OnlyItselfIsAMetaPluginAndRegenerationIsStable(string pluginType)
    {
        var settings = new ConfigSettings { PluginType = pluginType };

        ConfDir.Sample(files =>
        {
            var first = PrimarySelector.Select(files, settings.FileName);
            if (first.Primary?.List is not { } primary)
            {
                Assert.All(files, f => Assert.False(PrimarySelector.Select([f], settings.FileName).Primary is { IsMeta: true }));
                return;
            }
            var rendered = ConfigRenderer.Render(primary, settings).Bytes;
            Assert.NotNull(rendered);
            var json = JsonNode.Parse(rendered)!;
            Assert.Equal(1, Scenarios.Scan(json).MetaDepth);
            Assert.Equal([pluginType], Scenarios.Scan(json).MetaTypes);

            var again = PrimarySelector.Select([.. files, ConfFile.FromBytes(settings.FileName, rendered, "/etc/cni/net.d")], settings.FileName);

            Assert.Equal(first.Primary.Name, again.Primary?.Name);
            Assert.Equal(rendered, ConfigRenderer.Render(again.Primary!.List!, settings).Bytes);
        }, iter: 300);
    }

    private static JsonObject Wrap(JsonObject inner, string type, int depth, bool asConflist)
    {
        var node = inner;
        for (var i = 0; i < depth; i++)
        {
            var delegates = new JsonArray(node);
            node = asConflist
                ? new JsonObject { ["cniVersion"] = "1.0.0", ["name"] = $"meta{i}", ["plugins"] = new JsonArray(new JsonObject { ["type"] = type, ["delegates"] = delegates }) }
                : new JsonObject { ["cniVersion"] = "1.0.0", ["name"] = $"meta{i}", ["type"] = type, ["delegates"] = delegates };
        }
        return node;
    }
}
