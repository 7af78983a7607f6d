using Plexus.Integration.Tests.MetaPlugin;

namespace Plexus.Integration.Tests.Thick;

/// <summary>Every thin-mode ADD/DEL scenario again, through the published plexus-shim and plexusd.</summary>
[Trait("Category", "Root")]
public sealed class ThickAddDelTests : MetaPluginAddDelTests
{
    internal override Task<MetaPluginBed> CreateBedAsync() => ShimDaemonRunner.CreateBedAsync();
}

/// <summary>Every thin-mode rejection scenario again, through the published plexus-shim and plexusd.</summary>
[Trait("Category", "Root")]
public sealed class ThickRejectionTests : MetaPluginRejectionTests
{
    internal override Task<MetaPluginBed> CreateBedAsync() => ShimDaemonRunner.CreateBedAsync();
}
