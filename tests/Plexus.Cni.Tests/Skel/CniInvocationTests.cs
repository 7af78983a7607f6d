using Plexus.Cni.Skel;

namespace Plexus.Cni.Tests.Skel;

public sealed class CniInvocationTests
{
    private static CniException Fails(Dictionary<string, string> env, string stdin = SkelEnv.Conf) =>
        Assert.Throws<CniException>(() => CniInvocation.Create(env, SkelEnv.Bytes(stdin)));

    [Fact]
    public void Create_ValidAdd_ReadsEverything()
    {
        var invocation = CniInvocation.Create(SkelEnv.For("ADD"), SkelEnv.Bytes(SkelEnv.Conf));

        Assert.Equal(CniCommand.Add, invocation.Command);
        Assert.Equal("c0ffee-1", invocation.ContainerId);
        Assert.Equal("/var/run/netns/pod-1", invocation.Netns);
        Assert.Equal("eth0", invocation.IfName);
        Assert.Equal("p", invocation.Args.Get("K8S_POD_NAME"));
        Assert.Equal(["/opt/cni/bin", "/usr/lib/cni"], invocation.Path);
        Assert.Equal("net1", invocation.Config.Name);
        Assert.Equal(CniVersion.V110, invocation.Config.CniVersion);
        Assert.Equal(SkelEnv.Conf, System.Text.Encoding.UTF8.GetString(invocation.Stdin.Span));
    }

    public static TheoryData<string, string> RequiredEnv() => new()
    {
        { "ADD", CniEnv.ContainerId }, { "ADD", CniEnv.Netns }, { "ADD", CniEnv.IfName }, { "ADD", CniEnv.Path },
        { "CHECK", CniEnv.ContainerId }, { "CHECK", CniEnv.Netns }, { "CHECK", CniEnv.IfName }, { "CHECK", CniEnv.Path },
        { "DEL", CniEnv.ContainerId }, { "DEL", CniEnv.IfName }, { "DEL", CniEnv.Path },
        { "GC", CniEnv.Path }, { "STATUS", CniEnv.Path },
    };

    [Theory]
    [MemberData(nameof(RequiredEnv))]
    public void Create_RequiredVariableMissing_ThrowsCode4NamingIt(string command, string variable)
    {
        var error = Fails(SkelEnv.Without(command, variable));

        Assert.Equal(CniErrorCode.InvalidEnvironment, error.Code);
        Assert.Equal($"required env variables [{variable}] missing", error.Message);
    }

    [Theory]
    [MemberData(nameof(RequiredEnv))]
    public void Create_RequiredVariableEmpty_CountsAsMissing(string command, string variable)
    {
        Assert.Contains(variable, Fails(SkelEnv.With(command, variable, "")).Message);
    }

    [Fact]
    public void Create_SeveralMissing_NamesAll()
    {
        var error = Fails(new Dictionary<string, string> { [CniEnv.Command] = "ADD" });

        Assert.Equal("required env variables [CNI_CONTAINERID, CNI_NETNS, CNI_IFNAME, CNI_PATH] missing", error.Message);
    }

    [Theory]
    [InlineData("DEL", CniEnv.Netns)]
    [InlineData("GC", CniEnv.ContainerId)]
    [InlineData("GC", CniEnv.IfName)]
    [InlineData("GC", CniEnv.Netns)]
    [InlineData("STATUS", CniEnv.ContainerId)]
    [InlineData("ADD", CniEnv.Args)]
    public void Create_OptionalVariableMissing_Succeeds(string command, string variable)
    {
        var invocation = CniInvocation.Create(SkelEnv.Without(command, variable), SkelEnv.Bytes(SkelEnv.Conf));

        Assert.NotNull(invocation);
    }

    [Fact]
    public void Create_CommandMissing_ThrowsCode4NamingIt()
    {
        var error = Fails(SkelEnv.Without("ADD", CniEnv.Command));

        Assert.Equal(CniErrorCode.InvalidEnvironment, error.Code);
        Assert.Contains(CniEnv.Command, error.Message);
    }

    [Theory]
    [InlineData("add")]
    [InlineData("DELETE")]
    [InlineData("BOGUS")]
    public void Create_UnknownCommand_ThrowsCode4NamingIt(string command)
    {
        var error = Fails(SkelEnv.For(command));

        Assert.Equal(CniErrorCode.InvalidEnvironment, error.Code);
        Assert.Contains(CniEnv.Command, error.Message);
        Assert.Contains(command, error.Message);
    }

    [Theory]
    [InlineData("-abc")]
    [InlineData("abc def")]
    [InlineData("abc/def")]
    [InlineData("_x")]
    [InlineData("ab$")]
    public void Create_InvalidContainerId_ThrowsCode4NamingIt(string id)
    {
        var error = Fails(SkelEnv.With("DEL", CniEnv.ContainerId, id));

        Assert.Equal(CniErrorCode.InvalidEnvironment, error.Code);
        Assert.Contains(CniEnv.ContainerId, error.Message);
    }

    [Theory]
    [InlineData("a234567890123456")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("eth/0")]
    [InlineData("eth:0")]
    [InlineData("eth 0")]
    public void Create_InvalidIfName_ThrowsCode4NamingIt(string ifName)
    {
        var error = Fails(SkelEnv.With("ADD", CniEnv.IfName, ifName));

        Assert.Equal(CniErrorCode.InvalidEnvironment, error.Code);
        Assert.Contains(CniEnv.IfName, error.Message);
    }

    [Fact]
    public void Create_MalformedArgs_ThrowsCode4NamingIt()
    {
        var error = Fails(SkelEnv.With("ADD", CniEnv.Args, "K8S_POD_NAME"));

        Assert.Equal(CniErrorCode.InvalidEnvironment, error.Code);
        Assert.Contains(CniEnv.Args, error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("""{"cniVersion":"1.0.0","name":"n","type":"x" """)]
    [InlineData("""{"cniVersion":"1.0.0","name":"n",""")]
    public void Create_GarbageOrTruncatedStdin_ThrowsCode6(string stdin)
    {
        Assert.Equal(CniErrorCode.DecodeFailure, Fails(SkelEnv.For("ADD"), stdin).Code);
    }

    [Theory]
    [InlineData("""{"cniVersion":"1.0.0","name":"n"}""", "type")]
    [InlineData("""{"cniVersion":"1.0.0","type":"x"}""", "name")]
    [InlineData("""{"cniVersion":"1.0.0","name":"bad name","type":"x"}""", "bad name")]
    public void Create_ConfigMissingTypeOrName_ThrowsCode7(string stdin, string named)
    {
        var error = Fails(SkelEnv.For("ADD"), stdin);

        Assert.Equal(CniErrorCode.InvalidNetworkConfig, error.Code);
        Assert.Contains(named, error.Message);
    }

    [Fact]
    public void Create_EnvErrorsComeBeforeConfigErrors()
    {
        Assert.Equal(CniErrorCode.InvalidEnvironment, Fails(SkelEnv.Without("ADD", CniEnv.Path), "garbage").Code);
    }

    [Fact]
    public void Create_Version_IsAnsweredByTheDispatcherNotAnInvocation()
    {
        Assert.Throws<InvalidOperationException>(() => CniInvocation.Create(SkelEnv.For("VERSION"), default));
    }
}
