// plexus-shim: the CNI executable of thick mode. All the work happens in plexusd; see ShimRunner.
using System.Collections;
using Plexus.Daemon.Protocol.Shim;

using var stdout = Console.OpenStandardOutput();
// VERSION first and synchronously: it is the startup-time budget, and it needs neither stdin nor the daemon.
if (Environment.GetEnvironmentVariable("CNI_COMMAND") == "VERSION")
{
    stdout.Write(VersionReply.Encode());
    return 0;
}
var environment = new Dictionary<string, string>(StringComparer.Ordinal);
foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
{
    environment[(string)entry.Key] = (string?)entry.Value ?? "";
}
using var stdin = new MemoryStream();
using (var input = Console.OpenStandardInput())
{
    input.CopyTo(stdin);
}
var output = ShimRunner.Run(environment, stdin.ToArray(), CancellationToken.None);
stdout.Write(output.Stdout);
return output.ExitCode;
