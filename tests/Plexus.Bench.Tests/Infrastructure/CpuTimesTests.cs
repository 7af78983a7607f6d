using Plexus.Bench.Infrastructure;

namespace Plexus.Bench.Tests.Infrastructure;

public sealed class CpuTimesTests
{
    [Fact]
    public void Parse_CommWithSpacesAndParens_FieldsAfterTheLastParen()
    {
        // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime ...
        const string stat = "4242 (odd) name) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 1000 20 20 0 12 0";

        var times = CpuTimes.Parse(stat);

        Assert.Equal(TimeSpan.FromSeconds(3), times.Self);      // 250 + 50 ticks
        Assert.Equal(TimeSpan.FromSeconds(10.2), times.Children); // 1000 + 20 ticks
    }

    [Fact]
    public void Parse_Truncated_FormatException()
    {
        Assert.Throws<FormatException>(() => CpuTimes.Parse("4242 (x) S 1 2 3"));
        Assert.Throws<FormatException>(() => CpuTimes.Parse(""));
    }

    [Fact]
    public void Operators_Difference()
    {
        var a = new CpuTimes(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(3));
        var b = new CpuTimes(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1));

        Assert.Equal(new CpuTimes(TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(2)), a - b);
        Assert.Equal(a, a - b + b);
    }

    [Fact]
    public void ReadSelf_ThisProcess_HasUsedSomeCpu()
    {
        Assert.True(CpuTimes.ReadSelf().Self > TimeSpan.Zero);
    }
}
