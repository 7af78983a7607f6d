using Plexus.Fuzz.Targets;

namespace Plexus.Fuzz.Tests;

/// <summary>Every corpus seed and every crasher goes through its target exactly as the fuzzer ran it.</summary>
public sealed class ReplayTests
{
    private static readonly string Root = AppContext.BaseDirectory;

    public static TheoryData<string, string> Inputs()
    {
        var data = new TheoryData<string, string>();
        foreach (var kind in new[] { "corpus", "crashers" })
        {
            var dir = Path.Combine(Root, kind);
            if (!Directory.Exists(dir))
            {
                continue;
            }
            foreach (var file in Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                data.Add(Path.GetFileName(Path.GetDirectoryName(file))!, Path.GetRelativePath(Root, file));
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Run_StoredInput_OnlyDocumentedErrors(string target, string file)
    {
        var fuzzTarget = FuzzTargets.Find(target);
        Assert.NotNull(fuzzTarget);

        fuzzTarget.Run(File.ReadAllBytes(Path.Combine(Root, file)));
    }

    [Fact]
    public void Inputs_EveryTarget_HasSeeds()
    {
        var seeded = Inputs().Select(row => (string)row[0]).ToHashSet();

        Assert.All(FuzzTargets.All, t => Assert.Contains(t.Name, seeded));
    }
}
