using System.Text.Json.Nodes;

namespace Plexus.KubeSim.Api;

/// <summary>A refused request, answered as a metav1.Status with the API server's reason and code.</summary>
public sealed class ApiException(int code, string reason, string message, JsonObject? details = null) : Exception(message)
{
    public int Code { get; } = code;
    public string Reason { get; } = reason;
    public JsonObject? Details { get; } = details;

    /// <summary>A continue token the Status carries in its list metadata (an expired list's inconsistent continuation).</summary>
    public string? Continue { get; init; }

    public static ApiException BadRequest(string message) => new(400, "BadRequest", message);

    public static ApiException NotFound(string resource, string name, string group = "") =>
        new(404, "NotFound", $"{Qualified(resource, group)} \"{name}\" not found", Describe(resource, name, group));

    public static ApiException AlreadyExists(string resource, string name, string group = "") =>
        new(409, "AlreadyExists", $"{Qualified(resource, group)} \"{name}\" already exists", Describe(resource, name, group));

    /// <summary>409 Conflict; <paramref name="cause"/> defaults to the stale-resourceVersion text.</summary>
    public static ApiException Conflict(string resource, string name, string group = "", string? cause = null) =>
        new(409, "Conflict",
            $"Operation cannot be fulfilled on {Qualified(resource, group)} \"{name}\": " +
            (cause ?? "the object has been modified; please apply your changes to the latest version and try again"),
            Describe(resource, name, group));

    public static ApiException Invalid(string kind, string name, IReadOnlyList<string> causes, string group = "")
    {
        var details = new JsonObject
        {
            ["name"] = name,
            ["group"] = group,
            ["kind"] = kind,
            ["causes"] = new JsonArray([.. causes.Select(Cause)]),
        };
        // errors.NewInvalid prints the causes as an aggregate: one alone, several distinct ones in brackets.
        var distinct = causes.Distinct().ToList();
        var aggregate = distinct.Count == 1 ? distinct[0] : $"[{string.Join(", ", distinct)}]";
        return new(422, "Invalid", $"{kind} \"{name}\" is invalid: {aggregate}", details);
    }

    /// <summary>errors.NewInternalError: 500 with the failure as the one cause (the allocators' "range is full").</summary>
    public static ApiException Internal(string error) =>
        new(500, "InternalError", $"Internal error occurred: {error}", new JsonObject { ["causes"] = new JsonArray(new JsonObject { ["message"] = error }) });

    // "field: body" as field.Error writes it; a cause carries the field and the body apart (kubectl joins them again).
    private static JsonNode Cause(string text)
    {
        var field = text.Split(':')[0];
        var body = text.Length > field.Length + 2 ? text[(field.Length + 2)..] : text;
        return new JsonObject
        {
            ["reason"] = body.Split(':')[0] switch
            {
                "Required value" => "FieldValueRequired",
                "Too long" => "FieldValueTooLong",
                "Unsupported value" => "FieldValueNotSupported",
                "Forbidden" => "FieldValueForbidden",
                "Duplicate value" => "FieldValueDuplicate",
                _ => "FieldValueInvalid",
            },
            ["message"] = body,
            ["field"] = field,
        };
    }

    public static ApiException MethodNotAllowed(string message) => new(405, "MethodNotAllowed", message);

    public static ApiException Gone(string message) => new(410, "Expired", message);

    public static ApiException UnsupportedMediaType(string contentType, IEnumerable<string> accepted) =>
        new(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: " +
            $"{string.Join(", ", accepted)} (got {(contentType.Length == 0 ? "no Content-Type" : contentType)})");

    public JsonObject ToStatus()
    {
        var status = Status(Code, Reason, Message, Details);
        if (Continue is not null) status["metadata"]!["continue"] = Continue;
        return status;
    }

    public static JsonObject Status(int code, string reason, string message, JsonObject? details = null)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = code < 400 ? "Success" : "Failure",
            ["message"] = message,
            ["reason"] = reason,
            ["code"] = code,
        };
        if (details is not null) status["details"] = details.DeepClone();
        if (reason.Length == 0) status.Remove("reason");
        return status;
    }

    private static string Qualified(string resource, string group) => group.Length == 0 ? resource : $"{resource}.{group}";

    private static JsonObject Describe(string resource, string name, string group) =>
        new() { ["name"] = name, ["group"] = group, ["kind"] = resource };
}
