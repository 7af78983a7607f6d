using Plexus.Cni.ConfFiles;
using Plexus.Cni.IO;

namespace Plexus.Cni.Tests.ConfFiles;

public sealed class ConfFileNamesTests
{
    [Theory]
    [InlineData("10-calico.conflist", true)]
    [InlineData("00-multus.conf", true)]
    [InlineData("99-x.json", true)]
    [InlineData("10-calico.conflist.old", false)]
    [InlineData("calico-kubeconfig", false)]
    [InlineData("README", false)]
    [InlineData("x.CONF", false)]
    [InlineData(AtomicFile.TempPrefix + "00-plexus.conflist", false)]
    public void IsCandidate_Name_MatchesRuntimeRules(string name, bool expected) =>
        Assert.Equal(expected, ConfFileNames.IsCandidate(name));

    [Fact]
    public void InLoadOrder_MixedNames_SortsByBytesAndDropsNonCandidates()
    {
        string[] names = ["b.conf", "Z.conf", "a.conflist", "00-plexus.conflist", "00-multus.conf", "é.conf", "notes.txt", "_x.json"];

        var ordered = ConfFileNames.InLoadOrder(names);

        // Byte order: digits < upper case < '_' < lower case < non-ASCII (UTF-8 lead byte 0xC3).
        Assert.Equal(["00-multus.conf", "00-plexus.conflist", "Z.conf", "_x.json", "a.conflist", "b.conf", "é.conf"], ordered);
    }

    [Fact]
    public void Compare_SupplementaryCharacter_UsesUtf8NotUtf16Order()
    {
        // UTF-16 ordinal puts the surrogate pair (0xD83D) before U+FF21; UTF-8 bytes put it after.
        Assert.True(ConfFileNames.Compare("\U0001F600.conf", "\uFF21.conf") > 0);
    }
}
