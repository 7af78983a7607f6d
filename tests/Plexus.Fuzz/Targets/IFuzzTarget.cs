namespace Plexus.Fuzz.Targets;

/// <summary>
/// One parser fed by untrusted text. <see cref="Run"/> lets every exception but the parser's
/// documented failure escape: anything that escapes is a finding (AFL++ records it as a crash).
/// </summary>
public interface IFuzzTarget
{
    /// <summary>The name used on the command line and as the corpus folder.</summary>
    string Name { get; }

    void Run(byte[] input);
}
