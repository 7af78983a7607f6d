using System.Globalization;
using System.Text.Json.Nodes;
using Plexus.KubeSim.Discovery;
using Plexus.KubeSim.Storage;

namespace Plexus.KubeSim.Api;

/// <summary>
/// Server-side printing (meta.k8s.io/v1 Table), which <c>kubectl get</c> asks for: a few
/// columns per kind like the real printers, and the row objects as includeObject asks.
/// </summary>
internal static class TableRenderer
{
    public static JsonObject Render(ResourceType type, IEnumerable<StoredObject> objects, long revision, string? includeObject,
        TimeProvider clock, string? continueToken = null)
    {
        var columns = TableColumns.For(type);
        var now = clock.GetUtcNow();
        var rows = new JsonArray();
        foreach (var obj in objects)
        {
            var row = new JsonObject { ["cells"] = new JsonArray([.. columns.Select(c => c.Cell(obj.Node, now))]) };
            if (includeObject != "None") row["object"] = RowObject(type, obj, includeObject);
            rows.Add(row);
        }
        var metadata = new JsonObject { ["resourceVersion"] = revision.ToString(CultureInfo.InvariantCulture) };
        if (continueToken is not null) metadata["continue"] = continueToken;
        return new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = metadata,
            ["columnDefinitions"] = new JsonArray([.. columns.Select(c => (JsonNode)new JsonObject
            {
                ["name"] = c.Name,
                ["type"] = c.Type,
                ["format"] = c.Name == "Name" ? "name" : "",
                ["description"] = c.Name,
                ["priority"] = c.Priority,
            })]),
            ["rows"] = rows,
        };
    }

    private static JsonNode RowObject(ResourceType type, StoredObject obj, string? includeObject) =>
        includeObject == "Object"
            ? type.FromStorage(obj.Node).DeepClone()
            : new JsonObject
            {
                ["kind"] = "PartialObjectMetadata",
                ["apiVersion"] = "meta.k8s.io/v1",
                ["metadata"] = obj.Node["metadata"]?.DeepClone(),
            };

}
