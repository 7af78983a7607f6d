namespace Plexus.NodeAgent.Tests;

/// <summary>Bounded waiting for effects of background work; never asserts how long it took.</summary>
public static class Eventually
{
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(15);

    public static void True(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Limit;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new Xunit.Sdk.XunitException($"still not true after {Limit.TotalSeconds} s: {what}");
            }
            Thread.Sleep(10);
        }
    }
}
