using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Plexus.NodeAgent.Doctor;

/// <summary>What the doctor found in a conf dir (and did, with --fix), as a table or JSON.</summary>
public sealed record DoctorReport
{
    public required string ConfDir { get; init; }

    public string? Primary { get; init; }

    public required IReadOnlyList<Finding> Findings { get; init; }

    public IReadOnlyList<FixAction> Actions { get; init; } = [];

    public bool Healthy => !Findings.Any(f => f.IsProblem);

    public string ToTable()
    {
        var text = new StringBuilder();
        foreach (var action in Actions)
        {
            text.Append(action.Done ? "fixed: " : "not fixed: ").Append(action.Message).Append('\n');
        }
        var rows = Findings.OrderByDescending(f => f.Severity).Select(f => (Severity(f), f.Code, f.File, f.Message)).ToList();
        var codeWidth = Math.Max(4, rows.Count == 0 ? 0 : rows.Max(r => r.Code.Length));
        var fileWidth = Math.Max(4, rows.Count == 0 ? 0 : rows.Max(r => r.File.Length));
        if (rows.Count > 0)
        {
            text.Append($"{"SEVERITY",-8}  {"CODE".PadRight(codeWidth)}  {"FILE".PadRight(fileWidth)}  MESSAGE\n");
            foreach (var (severity, code, file, message) in rows)
            {
                text.Append($"{severity,-8}  {code.PadRight(codeWidth)}  {file.PadRight(fileWidth)}  {message}\n");
            }
        }
        var problems = Findings.Count(f => f.IsProblem);
        text.Append(Healthy
            ? $"healthy: {ConfDir} (primary {Primary ?? "none"})\n"
            : $"{problems} problem(s) in {ConfDir} (primary {Primary ?? "none"})\n");
        return text.ToString();
    }

    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("confDir", ConfDir);
            json.WriteBoolean("healthy", Healthy);
            json.WriteString("primary", Primary);
            json.WriteStartArray("findings");
            foreach (var finding in Findings)
            {
                json.WriteStartObject();
                json.WriteString("severity", Severity(finding));
                json.WriteString("code", finding.Code);
                json.WriteString("file", finding.File);
                json.WriteString("message", finding.Message);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartArray("actions");
            Actions.Where(a => a.Done).Select(a => a.Message).ToList().ForEach(json.WriteStringValue);
            json.WriteEndArray();
            json.WriteStartArray("notFixed");
            Actions.Where(a => !a.Done).Select(a => a.Message).ToList().ForEach(json.WriteStringValue);
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static string Severity(Finding finding) => finding.Severity.ToString().ToLowerInvariant();
}
