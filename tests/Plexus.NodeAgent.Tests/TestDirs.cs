namespace Plexus.NodeAgent.Tests;

/// <summary>A temp dir per test with the scenario helpers; always removed.</summary>
public sealed class TempDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("plexus-agent-").FullName;

    public string Sub(string name)
    {
        var dir = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(dir);
        return dir;
    }

    public string File(string relative, string content)
    {
        var path = System.IO.Path.Combine(Path, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllText(path, content);
        return path;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}

public static class Scenarios
{
    public static string Root => System.IO.Path.Combine(AppContext.BaseDirectory, "TestData", "confdirs");

    /// <summary>Scenario name → the file that is its real primary.</summary>
    public static IReadOnlyDictionary<string, string> Primaries { get; } = new Dictionary<string, string>
    {
        ["cilium"] = "05-cilium.conflist",
        ["containerd-bridge"] = "10-containerd-net.conflist",
        ["flannel"] = "10-flannel.conflist",
        ["kindnet"] = "10-kindnet.conflist",
        ["rke2-calico"] = "10-calico.conflist",
        ["rke2-canal"] = "10-canal.conflist",
    };

    public static TheoryData<string> Names => new(Primaries.Keys);

    /// <summary>Copies a scenario into <paramref name="dir"/> (writable, like a real node's dir).</summary>
    public static void CopyTo(string scenario, string dir)
    {
        foreach (var file in Directory.GetFiles(System.IO.Path.Combine(Root, scenario)))
        {
            var target = System.IO.Path.Combine(dir, System.IO.Path.GetFileName(file));
            System.IO.File.Copy(file, target);
            System.IO.File.SetUnixFileMode(target, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }
    }

    /// <summary>
    /// A Multus 4.0.2-style self-nested config: Multus's generated conf wrapping <paramref name="primaryJson"/>,
    /// then wrapping that whole conf again, <paramref name="levels"/> times (what each restart did).
    /// </summary>
    public static string NestedMultus(string primaryJson, int levels)
    {
        var inner = primaryJson;
        for (var i = 0; i < levels; i++)
        {
            inner = "{\"cniVersion\":\"0.3.1\",\"name\":\"multus-cni-network\",\"type\":\"multus\",\"capabilities\":{\"portMappings\":true}," +
                "\"kubeconfig\":\"/etc/cni/net.d/multus.d/multus.kubeconfig\",\"delegates\":[" + inner + "]}";
        }
        return inner;
    }

    /// <summary>What <see cref="Plexus.NodeAgent.Selection.MetaScanner"/> finds in a node's JSON.</summary>
    public static Plexus.NodeAgent.Selection.MetaScan Scan(System.Text.Json.Nodes.JsonNode? node) =>
        Plexus.NodeAgent.Selection.MetaScanner.Scan(System.Text.Encoding.UTF8.GetBytes(node?.ToJsonString() ?? "null"));

    /// <summary>The text of <paramref name="scenario"/>'s primary config.</summary>
    public static string PrimaryText(string scenario) => System.IO.File.ReadAllText(System.IO.Path.Combine(Root, scenario, Primaries[scenario]));

    /// <summary>The scenario's flannel conflist (the primary the deep-nesting tests wrap).</summary>
    public static string Flannel => System.IO.File.ReadAllText(System.IO.Path.Combine(Root, "flannel", "10-flannel.conflist"));

    /// <summary>
    /// Multus 4.0.2's generated conf wrapping <paramref name="primaryJson"/> <paramref name="levels"/> times, in its
    /// minimal shape; built in a loop, so any depth can be made without recursion.
    /// </summary>
    public static string SelfNestedMultus(string primaryJson, int levels)
    {
        var text = new System.Text.StringBuilder();
        for (var i = 0; i < levels; i++)
        {
            text.Append("{\"cniVersion\":\"0.3.1\",\"name\":\"multus-cni-network\",\"type\":\"multus\",\"kubeconfig\":\"/x\",\"delegates\":[");
        }
        text.Append(primaryJson);
        text.Insert(text.Length, "]}", levels);
        return text.ToString();
    }
}
