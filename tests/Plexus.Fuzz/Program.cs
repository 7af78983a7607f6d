using Plexus.Fuzz.Targets;
using SharpFuzz;

// Usage: Plexus.Fuzz <target>            (under afl-fuzz; the input comes from AFL++)
//        Plexus.Fuzz <target> <file>...   (replays files once, e.g. a crasher)
if (args.Length == 0 || FuzzTargets.Find(args[0]) is not { } target)
{
    Console.Error.WriteLine($"usage: Plexus.Fuzz <{string.Join('|', FuzzTargets.All.Select(t => t.Name))}> [file...]");
    return 2;
}
if (args.Length > 1)
{
    foreach (var file in args.Skip(1))
    {
        target.Run(File.ReadAllBytes(file));
    }
    return 0;
}
Fuzzer.OutOfProcess.Run(stream =>
{
    using var buffer = new MemoryStream();
    stream.CopyTo(buffer);
    target.Run(buffer.ToArray());
});
return 0;
