using System.Text;
using Plexus.Cni;

namespace Plexus.Fuzz.Targets;

/// <summary><c>CNI_ARGS</c> as the runtime sets it; what parses must format back to an equal parse.</summary>
public sealed class CniArgsTarget : IFuzzTarget
{
    public string Name => "cniargs";

    public void Run(byte[] input)
    {
        Expected.CniErrorsOnly(() =>
        {
            var args = CniArgs.Parse(Encoding.UTF8.GetString(input));
            var again = CniArgs.Parse(args.Format());
            if (!again.Pairs.SequenceEqual(args.Pairs))
            {
                throw new InvalidOperationException($"CNI_ARGS did not survive format+parse: \"{args}\"");
            }
        });
    }
}
