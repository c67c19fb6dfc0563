using System.Text.Json.Nodes;

namespace ClusterOps.Sandbox.Server;

/// <summary>A failure the API answers with a metav1.Status body, shaped and worded as the real API server does.</summary>
internal sealed class ApiException : Exception
{
    public ApiException(int code, string reason, string message, JsonObject? details = null, TimeSpan? retryAfter = null)
        : base(message)
    {
        Code = code;
        Reason = reason;
        Details = details;
        RetryAfter = retryAfter;
    }

    public int Code { get; }
    public string Reason { get; }
    public JsonObject? Details { get; }
    public TimeSpan? RetryAfter { get; }

    public JsonObject ToStatus()
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = Message,
            ["reason"] = Reason,
        };
        if (Details != null) status["details"] = Details.DeepClone();
        status["code"] = Code;
        return status;
    }

    private static JsonObject DetailsFor(ResourceDef def, string? name)
    {
        var d = new JsonObject();
        if (name != null) d["name"] = name;
        if (def.Group.Length > 0) d["group"] = def.Group;
        d["kind"] = def.Plural;
        return d;
    }

    public static ApiException NotFound(ResourceDef def, string name) =>
        new(404, "NotFound", $"{def.GroupResource} \"{name}\" not found", DetailsFor(def, name));

    public static ApiException NamespaceNotFound(string ns) =>
        new(404, "NotFound", $"namespaces \"{ns}\" not found", new JsonObject { ["name"] = ns, ["kind"] = "namespaces" });

    public static ApiException PathNotFound() =>
        new(404, "NotFound", "the server could not find the requested resource", new JsonObject());

    public static ApiException AlreadyExists(ResourceDef def, string name) =>
        new(409, "AlreadyExists", $"{def.GroupResource} \"{name}\" already exists", DetailsFor(def, name));

    public static ApiException Conflict(ResourceDef def, string name, string why = "the object has been modified; please apply your changes to the latest version and try again") =>
        new(409, "Conflict", $"Operation cannot be fulfilled on {def.GroupResource} \"{name}\": {why}", DetailsFor(def, name));

    public static ApiException BadRequest(string message) => new(400, "BadRequest", message);

    public static ApiException MethodNotAllowed() =>
        new(405, "MethodNotAllowed", "the server does not allow this method on the requested resource", new JsonObject());

    public static ApiException UnsupportedMediaType(string contentType) =>
        new(415, "UnsupportedMediaType",
            $"the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json",
            null);

    public static ApiException Expired(string message) => new(410, "Expired", message);

    public static ApiException Gone(string message) => new(410, "Gone", message);

    public static ApiException Forbidden(ResourceDef? def, string? name, string message)
    {
        var subject = def == null ? "" : name == null ? def.GroupResource : $"{def.GroupResource} \"{name}\"";
        return new(403, "Forbidden", subject.Length == 0 ? message : $"{subject} is forbidden: {message}",
            def == null ? null : DetailsFor(def, name));
    }

    public static ApiException Unauthorized() => new(401, "Unauthorized", "Unauthorized");

    /// <summary>422 with field causes, worded as apimachinery's field.ErrorList aggregate.</summary>
    public static ApiException Invalid(ResourceDef def, string name, IReadOnlyList<FieldError> errors)
    {
        var causes = new JsonArray();
        foreach (var e in errors)
            causes.Add(new JsonObject { ["reason"] = e.Reason, ["message"] = e.Detail, ["field"] = e.Field });
        var details = new JsonObject { ["name"] = name };
        if (def.Group.Length > 0) details["group"] = def.Group;
        details["kind"] = def.Kind;
        details["causes"] = causes;
        var list = errors.Select(e => $"{e.Field}: {e.Detail}").ToList();
        var text = list.Count == 1 ? list[0] : "[" + string.Join(", ", list) + "]";
        return new(422, "Invalid", $"{def.Kind} \"{name}\" is invalid: {text}", details);
    }
}

/// <summary>One field validation failure (reason is the StatusCause reason, e.g. FieldValueInvalid).</summary>
internal sealed record FieldError(string Field, string Reason, string Detail)
{
    public static FieldError InvalidValue(string field, string value, string why) =>
        new(field, "FieldValueInvalid", $"Invalid value: \"{value}\": {why}");

    public static FieldError Required(string field, string why) =>
        new(field, "FieldValueRequired", $"Required value: {why}");
}
