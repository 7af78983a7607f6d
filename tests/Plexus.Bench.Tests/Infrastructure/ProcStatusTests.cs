using Plexus.Bench.Infrastructure;

namespace Plexus.Bench.Tests.Infrastructure;

public sealed class ProcStatusTests
{
    [Fact]
    public void Parse_KernelStatus_RssAndHighWaterMarkInKiB()
    {
        const string status = "Name:\tplexusd\nVmPeak:\t  300000 kB\nVmHWM:\t   41234 kB\nVmRSS:\t   20480 kB\nThreads:\t12\n";

        Assert.Equal(new ProcStatus(20480, 41234), ProcStatus.Parse(status));
    }

    [Fact]
    public void Parse_NoMemoryLines_FormatException()
    {
        Assert.Throws<FormatException>(() => ProcStatus.Parse("Name:\tkthreadd\nState:\tS (sleeping)\n"));
    }

    [Fact]
    public void Parse_UnexpectedUnit_FormatException()
    {
        Assert.Throws<FormatException>(() => ProcStatus.Parse("VmHWM:\t1 MB\nVmRSS:\t1 kB\n"));
    }

    [Fact]
    public void Read_ThisProcess_PlausibleFigures()
    {
        var status = ProcStatus.Read(Environment.ProcessId);

        Assert.InRange(status.VmRssKiB, 1, status.VmHwmKiB);
    }
}
