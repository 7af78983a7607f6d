using System.Text;
using Plexus.Cni.ConfFiles;

namespace Plexus.Cni.Tests.ConfFiles;

public sealed class ConfFileLoaderTests
{
    [Theory]
    [InlineData("10-bridge.conf")]
    [InlineData("10-bridge.json")]
    public void Load_SingleConf_WrapsLikeLibcni(string fileName)
    {
        var list = ConfFileLoader.Load(fileName, "{\"cniVersion\":\"1.0.0\",\"name\":\"br\",\"type\":\"bridge\",\"x\":{\"y\":1}}"u8);

        Assert.Equal("{\"cniVersion\":\"1.0.0\",\"name\":\"br\",\"plugins\":[{\"cniVersion\":\"1.0.0\",\"name\":\"br\",\"type\":\"bridge\",\"x\":{\"y\":1}}]}",
            list.Raw.ToJsonString());
        Assert.Equal("bridge", list.PluginType(0));
    }

    [Fact]
    public void LoadList_ConfWithoutName_StaysNamelessButLoadRequiresAName()
    {
        var list = ConfFileLoader.LoadList("a.conf", "{\"type\":\"bridge\"}"u8);

        Assert.Equal("{\"plugins\":[{\"type\":\"bridge\"}]}", list.ToJsonString());
        Assert.Equal(7, Assert.Throws<CniException>(() => ConfFileLoader.Load("a.conf", "{\"type\":\"bridge\"}"u8)).Code);
    }

    [Fact]
    public void LoadList_Conflist_ReturnsItUnchanged()
    {
        const string text = "{\"name\":\"n\",\"cniVersion\":\"0.3.1\",\"plugins\":[{\"type\":\"ptp\"},{\"type\":\"portmap\",\"capabilities\":{\"portMappings\":true}}]}";

        Assert.Equal(text, ConfFileLoader.LoadList("10-n.conflist", Encoding.UTF8.GetBytes(text)).ToJsonString());
    }

    [Theory]
    [InlineData("a.conf", "", 6)]
    [InlineData("a.conf", "{\"type\":", 6)]
    [InlineData("a.conf", "[1,2]", 6)]
    [InlineData("a.conf", "{\"name\":\"n\"}", 7)]
    [InlineData("a.conf", "{\"name\":\"n\",\"type\":\"\"}", 7)]
    [InlineData("a.json", "{\"name\":\"n\",\"plugins\":[{\"type\":\"ptp\"}]}", 7)]
    [InlineData("a.conflist", "{\"name\":\"n\"}", 7)]
    [InlineData("a.conflist", "{\"name\":\"n\",\"plugins\":[]}", 7)]
    [InlineData("a.conflist", "{\"name\":\"n\",\"plugins\":[{\"type\":\"ptp\"},{\"mtu\":1}]}", 7)]
    [InlineData("a.conflist", "{\"plugins\":[{\"type\":\"ptp\"}]}", 7)]
    public void LoadList_BadContent_ThrowsCodeNamingTheFile(string fileName, string text, int code)
    {
        var e = Assert.Throws<CniException>(() => ConfFileLoader.LoadList(fileName, Encoding.UTF8.GetBytes(text)));

        Assert.Equal(code, e.Code);
        Assert.StartsWith(fileName, e.Message);
    }
}
