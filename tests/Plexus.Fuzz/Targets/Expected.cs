using Plexus.Cni;

namespace Plexus.Fuzz.Targets;

/// <summary>Runs a parse whose only documented failure is one exception type; any other is a finding.</summary>
public static class Expected
{
    /// <summary>The plugin's parsers: a CNI error with a code, message and details, which the caller prints.</summary>
    public static void CniErrorsOnly(Action parse) => Only<CniException>(parse);

    public static void Only<TDocumented>(Action parse)
        where TDocumented : Exception
    {
        try
        {
            parse();
        }
        catch (TDocumented)
        {
            // The documented outcome for bad input.
        }
    }
}
