// plexus-shim: the CNI executable of thick mode. All the work happens in plexusd; see ShimRunner.
using System.Collections;
using Plexus.Cni;
using Plexus.Cni.Skel;
using Plexus.Daemon.Protocol.Shim;

using var stdout = StandardStreams.Output();
using var stdin = new MemoryStream();
using (var input = StandardStreams.Input())
{
    input.CopyTo(stdin);
}
// VERSION first and synchronously: it is the startup-time budget, and it needs no daemon (only stdin, whose
// cniVersion the answer echoes).
if (Environment.GetEnvironmentVariable("CNI_COMMAND") == "VERSION")
{
    stdout.Write(VersionAnswer.Encode(CniVersion.Supported, stdin.GetBuffer().AsSpan(0, (int)stdin.Length)));
    return 0;
}
var environment = new Dictionary<string, string>(StringComparer.Ordinal);
foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
{
    environment[(string)entry.Key] = (string?)entry.Value ?? "";
}
var output = ShimRunner.Run(environment, stdin.ToArray(), CancellationToken.None);
stdout.Write(output.Stdout);
return output.ExitCode;
