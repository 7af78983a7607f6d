namespace Plexus.Cni.Tests;

public sealed class CniNamesTests
{
    [Theory]
    [InlineData("a", true)]
    [InlineData("0abc-DEF_1.2", true)]
    [InlineData("", false)]
    [InlineData(null, false)]
    [InlineData("-a", false)]
    [InlineData(".a", false)]
    [InlineData("_a", false)]
    [InlineData("a b", false)]
    [InlineData("a/b", false)]
    [InlineData("a\n", false)]
    [InlineData("é", false)]
    public void IsValidId_Text_MatchesSpecRegex(string? text, bool valid)
    {
        Assert.Equal(valid, CniNames.IsValidId(text));
    }

    [Theory]
    [InlineData("eth0")]
    [InlineData("net1")]
    [InlineData("a23456789012345")]
    [InlineData("my_if.1")]
    public void IfNameProblem_ValidName_IsNull(string name)
    {
        Assert.Null(CniNames.IfNameProblem(name));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("a234567890123456", "too long")]
    [InlineData("ééééééééé", "too long")]
    [InlineData(".", ". or ..")]
    [InlineData("..", ". or ..")]
    [InlineData("eth\0", "control characters")]
    [InlineData("eth\u001b", "control characters")]
    [InlineData("\u007f", "control characters")]
    [InlineData("a/b", "'/'")]
    [InlineData("a:b", "':'")]
    [InlineData("a b", "whitespace")]
    [InlineData("a\tb", "whitespace")]
    public void IfNameProblem_InvalidName_Explains(string name, string reason)
    {
        Assert.Contains(reason, CniNames.IfNameProblem(name));
    }
}
