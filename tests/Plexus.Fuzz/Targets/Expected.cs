using Plexus.Cni;

namespace Plexus.Fuzz.Targets;

/// <summary>Runs a parse whose only documented failure is a <see cref="CniException"/> (a CNI error the caller prints).</summary>
public static class Expected
{
    public static void CniErrorsOnly(Action parse)
    {
        try
        {
            parse();
        }
        catch (CniException)
        {
            // The documented outcome for bad input: a spec error with a code, message and details.
        }
    }
}
