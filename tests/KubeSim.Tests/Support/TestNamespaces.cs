namespace Plexus.KubeSim.Tests.Support;

internal static class TestNamespaces
{
    /// <summary>Creates a namespace named <paramref name="prefix"/> plus a random suffix, so no test sees another's objects.</summary>
    public static string CreateUniqueNamespace(this KubeSimServer sim, string prefix)
    {
        var name = KubeClients.NewName(prefix);
        sim.CreateNamespace(name);
        return name;
    }
}
