using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace ClusterOps.Sandbox.Server;

/// <summary>The HTTP surface: auth, faults, discovery, and the generic REST verbs over the resource registry.</summary>
internal sealed partial class ApiHandler
{
    private readonly ObjectStore _store;
    private readonly Authenticator _auth;
    private readonly SandboxFaults _faults;
    private readonly SandboxOptions _options;
    private readonly string _adminToken;
    private long _apiRequests;
    private readonly Action<TimeSpan> _advanceClock;

    public ApiHandler(ObjectStore store, Authenticator auth, SandboxFaults faults, SandboxOptions options, string adminToken, Action<TimeSpan> advanceClock)
    {
        _store = store;
        _auth = auth;
        _faults = faults;
        _options = options;
        _adminToken = adminToken;
        _advanceClock = advanceClock;
    }

    private ResourceRegistry Registry => _store.Registry;

    public async Task HandleAsync(HttpContext ctx)
    {
        var path = ctx.Request.Path.Value ?? "/";
        try
        {
            if (path.StartsWith("/sandbox/admin/", StringComparison.Ordinal))
            {
                await AdminAsync(ctx, path);
                return;
            }
            if (_faults.Unreachable)
            {
                ctx.Abort();
                return;
            }
            Interlocked.Increment(ref _apiRequests);
            var delay = _faults.LatencyFor(path);
            if (delay > TimeSpan.Zero) await Task.Delay(delay, ctx.RequestAborted);
            if (_faults.Take(ctx.Request.Method, path) is { } fault)
            {
                if (fault.Abort)
                {
                    ctx.Abort();
                    return;
                }
                throw InjectedFailure(fault.Status, fault.RetryAfter);
            }

            var identity = Authenticate(ctx);
            if (path is "/version" or "/version/" or "/healthz" or "/livez" or "/readyz")
            {
                if (path.StartsWith("/version", StringComparison.Ordinal)) await WriteJsonAsync(ctx, 200, Discovery.Version());
                else await WriteTextAsync(ctx, 200, "ok");
                return;
            }
            if (identity == null) throw ApiException.Unauthorized();
            await RouteAsync(ctx, path, identity);
        }
        catch (ApiException e)
        {
            if (ctx.Response.HasStarted) return;
            if (e.RetryAfter is { } ra) ctx.Response.Headers.RetryAfter = ((int)Math.Ceiling(ra.TotalSeconds)).ToString();
            await WriteJsonAsync(ctx, e.Code, e.ToStatus());
        }
        catch (OperationCanceledException) when (ctx.RequestAborted.IsCancellationRequested)
        {
        }
        catch (JsonException e)
        {
            if (!ctx.Response.HasStarted)
                await WriteJsonAsync(ctx, 400, ApiException.BadRequest($"the object provided is unrecognized or invalid JSON: {e.Message}").ToStatus());
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or ArgumentException or KeyNotFoundException or InvalidCastException)
        {
            // A body of an unexpected shape (a number where an object belongs, ...) is still answered with a Status.
            if (!ctx.Response.HasStarted)
                await WriteJsonAsync(ctx, 500, new ApiException(500, "InternalError", $"Internal error occurred: {e.Message}").ToStatus());
        }
    }

    private static ApiException InjectedFailure(int status, TimeSpan? retryAfter) => status switch
    {
        429 => new ApiException(429, "TooManyRequests", "Too many requests, please try again later.", new JsonObject { ["retryAfterSeconds"] = (int)(retryAfter?.TotalSeconds ?? 1) }, retryAfter),
        500 => new ApiException(500, "InternalError", "Internal error occurred: injected by the sandbox", new JsonObject { ["causes"] = new JsonArray(new JsonObject { ["message"] = "injected by the sandbox" }) }, retryAfter),
        503 => new ApiException(503, "ServiceUnavailable", "The server is currently unable to handle the request", null, retryAfter),
        504 => new ApiException(504, "Timeout", "The server was unable to return a response in the time allotted, but may still be processing the request", null, retryAfter),
        _ => new ApiException(status, "InternalError", $"injected failure {status}", null, retryAfter),
    };

    private Identity? Authenticate(HttpContext ctx)
    {
        var header = ctx.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return _auth.FromToken(header[7..].Trim());
        var cert = ctx.Connection.ClientCertificate;
        return cert != null ? _auth.FromCertificate(cert) : null;
    }

    // ---------------------------------------------------------------- routing

    private sealed record Target(ResourceDef Def, string? Namespace, string? Name, string? Subresource);

    private async Task RouteAsync(HttpContext ctx, string path, Identity identity)
    {
        var segs = path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        var method = ctx.Request.Method;
        if (segs.Length == 0) throw ApiException.PathNotFound();
        if (segs[0] == "openapi")
        {
            if (segs.Length == 2 && segs[1] == "v3") { await WriteJsonAsync(ctx, 200, Discovery.OpenApiRoot(Registry)); return; }
            if (segs.Length > 2 && segs[1] == "v3")
            {
                var doc = Discovery.OpenApiGroupVersion(Registry, string.Join('/', segs[2..])) ?? throw ApiException.PathNotFound();
                await WriteJsonAsync(ctx, 200, doc);
                return;
            }
            throw ApiException.PathNotFound();
        }

        string group, version;
        string[] rest;
        if (segs[0] == "api")
        {
            if (segs.Length == 1) { await WriteJsonAsync(ctx, 200, Discovery.ApiVersions($"127.0.0.1:{ctx.Connection.LocalPort}")); return; }
            if (segs[1] != "v1") throw ApiException.PathNotFound();
            group = ""; version = "v1"; rest = segs[2..];
        }
        else if (segs[0] == "apis")
        {
            if (segs.Length == 1) { await WriteJsonAsync(ctx, 200, Discovery.ApiGroupList(Registry)); return; }
            if (segs.Length == 2) { await WriteJsonAsync(ctx, 200, Discovery.ApiGroup(Registry, segs[1]) ?? throw ApiException.PathNotFound()); return; }
            group = segs[1]; version = segs[2]; rest = segs[3..];
        }
        else throw ApiException.PathNotFound();

        if (rest.Length == 0)
        {
            if (method != "GET") throw ApiException.MethodNotAllowed();
            await WriteJsonAsync(ctx, 200, Discovery.ResourceList(Registry, group, version) ?? throw ApiException.PathNotFound());
            return;
        }

        Target target;
        if (rest[0] == "namespaces" && rest.Length >= 3 && Registry.Find(group, version, rest[2]) is { Namespaced: true } nsDef)
            target = new Target(nsDef, rest[1], rest.Length > 3 ? rest[3] : null, rest.Length > 4 ? rest[4] : null);
        else if (rest[0] == "namespaces" && rest.Length >= 3 && group.Length > 0)
            throw ApiException.PathNotFound();
        else
        {
            var def = Registry.Find(group, version, rest[0]) ?? throw ApiException.PathNotFound();
            target = new Target(def, null, rest.Length > 1 ? rest[1] : null, rest.Length > 2 ? rest[2] : null);
        }
        if (rest.Length > 5 || (target.Namespace == null && rest.Length > 3)) throw ApiException.PathNotFound();

        Authorize(identity, method, target, ctx.Request.Query);

        if (target.Def.Virtual)
        {
            if (target.Def.Plural == "selfsubjectreviews" && method == "POST" && target.Name == null)
            {
                await SelfSubjectReviewAsync(ctx, identity);
                return;
            }
            throw ApiException.MethodNotAllowed();
        }

        var dryRun = ctx.Request.Query["dryRun"].Count > 0 && ctx.Request.Query["dryRun"].ToString() == "All";
        switch (target.Name, target.Subresource, method)
        {
            case (null, _, "GET"):
                var w = ctx.Request.Query["watch"].ToString();
                if (w is "1" or "true") await WatchAsync(ctx, target);
                else await ListAsync(ctx, target);
                break;
            case (null, _, "POST"): await CreateAsync(ctx, target, dryRun); break;
            case (null, _, "DELETE"): await DeleteCollectionAsync(ctx, target, dryRun); break;
            case (not null, null, "GET"): await GetAsync(ctx, target); break;
            case (not null, null, "PUT"): await UpdateAsync(ctx, target, null, dryRun); break;
            case (not null, null, "PATCH"): await PatchAsync(ctx, target, null, dryRun); break;
            case (not null, null, "DELETE"): await DeleteAsync(ctx, target, dryRun); break;
            case (not null, "status", _) when target.Def.HasStatus:
                switch (method)
                {
                    case "GET": await GetAsync(ctx, target); break;
                    case "PUT": await UpdateAsync(ctx, target, "status", dryRun); break;
                    case "PATCH": await PatchAsync(ctx, target, "status", dryRun); break;
                    default: throw ApiException.MethodNotAllowed();
                }
                break;
            case (not null, "log", "GET") when target.Def.StoreId == "pods":
                await PodLogAsync(ctx, target);
                break;
            case (not null, "scale", _) when target.Def.HasScale:
                await ScaleAsync(ctx, target, method, dryRun);
                break;
            case (not null, not null, _): throw ApiException.PathNotFound();
            default: throw ApiException.MethodNotAllowed();
        }
    }

    private static void Authorize(Identity identity, string method, Target t, IQueryCollection query)
    {
        if (!identity.ReadOnly || method is "GET" or "HEAD") return;
        if (t.Def.Plural == "selfsubjectreviews") return;
        var verb = method switch
        {
            "POST" => "create",
            "PUT" => "update",
            "PATCH" => "patch",
            "DELETE" => t.Name == null ? "deletecollection" : "delete",
            _ => method.ToLowerInvariant(),
        };
        var resource = t.Subresource == null ? t.Def.Plural : $"{t.Def.Plural}/{t.Subresource}";
        var scope = t.Namespace != null ? $"in the namespace \"{t.Namespace}\"" : "at the cluster scope";
        throw ApiException.Forbidden(t.Def, t.Name,
            $"User \"{identity.User}\" cannot {verb} resource \"{resource}\" in API group \"{t.Def.Group}\" {scope}");
    }

    // ---------------------------------------------------------------- verbs

    private async Task GetAsync(HttpContext ctx, Target t)
    {
        var obj = _store.Get(t.Def, t.Namespace, t.Name!) ?? throw ApiException.NotFound(t.Def, t.Name!);
        if (WantsTable(ctx))
        {
            var table = Tables.Table(t.Def, [obj.Parse()], _store.Clock.UtcNow, IncludeObject(ctx), obj.ResourceVersion.ToString(), null, null);
            await WriteJsonAsync(ctx, 200, table);
            return;
        }
        await WriteBytesAsync(ctx, 200, obj.Json);
    }

    private async Task ListAsync(HttpContext ctx, Target t)
    {
        var q = ctx.Request.Query;
        var filter = Filter(t.Def, q);
        long.TryParse(q["limit"].ToString(), out var limit);
        var page = _store.List(t.Def, t.Namespace, filter, limit, q["continue"].ToString());
        if (WantsTable(ctx))
        {
            var table = Tables.Table(t.Def, page.Items.Select(i => i.Parse()), _store.Clock.UtcNow, IncludeObject(ctx),
                page.ResourceVersion.ToString(), page.Continue, page.RemainingItemCount);
            await WriteJsonAsync(ctx, 200, table);
            return;
        }
        // Written straight into the response pipe, flushed every ~64 KB: a page-sized buffer per request landed on the
        // large object heap and cost the hosting process (tests, bench) gen2 collections over the whole store.
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "application/json";
        var body = ctx.Response.BodyWriter;
        await using (var w = new Utf8JsonWriter(body, Json.WriterOptions))
        {
            w.WriteStartObject();
            w.WriteString("kind", t.Def.ListKind);
            w.WriteString("apiVersion", t.Def.ApiVersion);
            w.WriteStartObject("metadata");
            w.WriteString("resourceVersion", page.ResourceVersion.ToString());
            if (page.Continue != null) w.WriteString("continue", page.Continue);
            if (page.RemainingItemCount != null) w.WriteNumber("remainingItemCount", page.RemainingItemCount.Value);
            w.WriteEndObject();
            w.WriteStartArray("items");
            long flushed = 0;
            foreach (var item in page.Items)
            {
                w.WriteRawValue(item.Json, skipInputValidation: true);
                if (w.BytesCommitted + w.BytesPending - flushed >= 64 * 1024)
                {
                    w.Flush();
                    flushed = w.BytesCommitted;
                    await body.FlushAsync(ctx.RequestAborted);
                }
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        await body.FlushAsync(ctx.RequestAborted);
    }

    private static Func<StoredObject, bool>? Filter(ResourceDef def, IQueryCollection q)
    {
        var labels = LabelSelector.Parse(q["labelSelector"].ToString());
        var fields = FieldSelector.Parse(q["fieldSelector"].ToString(), def);
        if (labels.IsEmpty && fields.IsEmpty) return null;
        return o => labels.Matches(o.Labels) && fields.Matches(o);
    }

    private async Task CreateAsync(HttpContext ctx, Target t, bool dryRun)
    {
        var obj = await ReadObjectAsync(ctx);
        CheckKind(t.Def, obj);
        if (t.Def.HasStatus && t.Def.StoreId != "namespaces" && t.Def.StoreId != "customresourcedefinitions.apiextensions.k8s.io")
            obj.Remove("status");
        var stored = _store.Create(t.Def, obj, t.Namespace, dryRun);
        await WriteBytesAsync(ctx, 201, stored.Json);
    }

    private static void CheckKind(ResourceDef def, JsonObject obj)
    {
        var kind = Json.Str(obj, "kind");
        var apiVersion = Json.Str(obj, "apiVersion");
        if (!string.IsNullOrEmpty(kind) && kind != def.Kind)
            throw ApiException.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({def.ApiVersion})");
        if (!string.IsNullOrEmpty(apiVersion) && apiVersion != def.ApiVersion)
            throw ApiException.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({def.ApiVersion})");
    }

    private async Task UpdateAsync(HttpContext ctx, Target t, string? sub, bool dryRun)
    {
        var obj = await ReadObjectAsync(ctx);
        CheckKind(t.Def, obj);
        var stored = _store.Update(t.Def, t.Namespace, t.Name!, obj, sub, dryRun);
        await WriteBytesAsync(ctx, 200, stored.Json);
    }

    private async Task PatchAsync(HttpContext ctx, Target t, string? sub, bool dryRun)
    {
        var body = await ReadBodyAsync(ctx);
        var contentType = (ctx.Request.ContentType ?? "").Split(';')[0].Trim().ToLowerInvariant();
        var apply = PatchFunction(t.Def, contentType, body);
        if (contentType == "application/apply-patch+yaml" && _store.Get(t.Def, t.Namespace, t.Name!) == null)
        {
            var created = Yaml.ParseDocuments(Encoding.UTF8.GetString(body)).FirstOrDefault() ?? throw ApiException.BadRequest("empty apply patch");
            Json.Obj(created, "metadata")["name"] = t.Name;
            var fresh = _store.Create(t.Def, created, t.Namespace, dryRun);
            await WriteBytesAsync(ctx, 201, fresh.Json);
            return;
        }
        var stored = _store.Mutate(t.Def, t.Namespace, t.Name!, cur => apply(cur) as JsonObject ?? throw ApiException.BadRequest("the patch produced a non-object"), sub, dryRun);
        await WriteBytesAsync(ctx, 200, stored.Json);
    }

    private static Func<JsonNode, JsonNode?> PatchFunction(ResourceDef def, string contentType, byte[] body)
    {
        switch (contentType)
        {
            case "application/merge-patch+json":
            {
                var patch = JsonNode.Parse(body);
                return cur => Patches.Merge(cur, patch);
            }
            case "application/strategic-merge-patch+json" when !def.IsCustom:
            {
                var patch = JsonNode.Parse(body);
                return cur => Patches.Strategic(cur, patch);
            }
            case "application/json-patch+json":
            {
                var ops = JsonNode.Parse(body) as JsonArray ?? throw ApiException.BadRequest("json patch must be an array of operations");
                return cur => Patches.JsonPatch(cur, ops);
            }
            case "application/apply-patch+yaml":
            {
                var patch = Yaml.ParseDocuments(Encoding.UTF8.GetString(body)).FirstOrDefault();
                return cur => Patches.Strategic(cur, patch);
            }
            default:
                if (def.IsCustom && contentType == "application/strategic-merge-patch+json")
                    throw new ApiException(415, "UnsupportedMediaType",
                        "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml");
                throw ApiException.UnsupportedMediaType(contentType);
        }
    }

    private async Task DeleteAsync(HttpContext ctx, Target t, bool dryRun)
    {
        var (policy, uid, rv, bodyDryRun) = await ReadDeleteOptionsAsync(ctx);
        var outcome = _store.Delete(t.Def, t.Namespace, t.Name!, policy, uid, rv, dryRun || bodyDryRun);
        await WriteBytesAsync(ctx, 200, outcome.Object.Json);
    }

    private async Task DeleteCollectionAsync(HttpContext ctx, Target t, bool dryRun)
    {
        var (policy, _, _, bodyDryRun) = await ReadDeleteOptionsAsync(ctx);
        var filter = Filter(t.Def, ctx.Request.Query);
        var page = _store.List(t.Def, t.Namespace, filter, 0, null);
        var deleted = new JsonArray();
        foreach (var item in page.Items)
        {
            try
            {
                deleted.Add(_store.Delete(t.Def, item.Namespace, item.Name, policy, null, null, dryRun || bodyDryRun).Object.Parse());
            }
            catch (ApiException e) when (e.Code == 404)
            {
            }
        }
        await WriteJsonAsync(ctx, 200, new JsonObject
        {
            ["kind"] = t.Def.ListKind,
            ["apiVersion"] = t.Def.ApiVersion,
            ["metadata"] = new JsonObject { ["resourceVersion"] = _store.CurrentResourceVersion.ToString() },
            ["items"] = deleted,
        });
    }

    private static async Task<(string? Policy, string? Uid, string? Rv, bool DryRun)> ReadDeleteOptionsAsync(HttpContext ctx)
    {
        var policy = ctx.Request.Query["propagationPolicy"].ToString();
        string? uid = null, rv = null;
        var dryRun = false;
        var body = await ReadBodyAsync(ctx, allowEmpty: true);
        // A typed client's protobuf DeleteOptions carries nothing the sandbox needs beyond the query parameters.
        if (body.Length > 0 && !KubeProtobuf.IsProtobuf(ctx.Request.ContentType) && JsonNode.Parse(body) is JsonObject opts)
        {
            if (Json.Str(opts, "propagationPolicy") is { Length: > 0 } p) policy = p;
            uid = Json.Str(opts, "preconditions", "uid");
            rv = Json.Str(opts, "preconditions", "resourceVersion");
            dryRun = opts["dryRun"] is JsonArray d && d.Any(x => Json.Str(x) == "All");
        }
        if (policy.Length > 0 && policy is not ("Orphan" or "Background" or "Foreground"))
            throw new ApiException(422, "Invalid", $"DeleteOptions.meta.k8s.io \"\" is invalid: propagationPolicy: Unsupported value: \"{policy}\": supported values: \"Foreground\", \"Background\", \"Orphan\", \"nil\"");
        return (policy.Length > 0 ? policy : null, uid, rv, dryRun);
    }

    private async Task ScaleAsync(HttpContext ctx, Target t, string method, bool dryRun)
    {
        var cur = _store.Get(t.Def, t.Namespace, t.Name!) ?? throw ApiException.NotFound(t.Def, t.Name!);
        StoredObject result;
        switch (method)
        {
            case "GET":
                await WriteJsonAsync(ctx, 200, ToScale(cur.Parse()));
                return;
            case "PUT":
            {
                var scale = await ReadObjectAsync(ctx);
                var replicas = Json.Long(scale, "spec", "replicas") ?? 0;
                var rv = Json.Str(scale, "metadata", "resourceVersion");
                result = _store.Mutate(t.Def, t.Namespace, t.Name!, o =>
                {
                    if (!string.IsNullOrEmpty(rv)) Json.Obj(o, "metadata")["resourceVersion"] = rv;
                    Json.Obj(o, "spec")["replicas"] = replicas;
                    return o;
                }, null, dryRun);
                break;
            }
            case "PATCH":
            {
                var body = await ReadBodyAsync(ctx);
                var contentType = (ctx.Request.ContentType ?? "").Split(';')[0].Trim().ToLowerInvariant();
                var apply = PatchFunction(t.Def, contentType, body);
                result = _store.Mutate(t.Def, t.Namespace, t.Name!, o =>
                {
                    var patched = apply(ToScale(o)) as JsonObject ?? throw ApiException.BadRequest("the patch produced a non-object");
                    var replicas = Json.Long(patched, "spec", "replicas");
                    if (replicas is null or < 0)
                        throw new ApiException(422, "Invalid", $"Scale.autoscaling \"{t.Name}\" is invalid: spec.replicas: Invalid value: {replicas?.ToString() ?? "null"}: must be greater than or equal to 0");
                    Json.Obj(o, "spec")["replicas"] = replicas;
                    return o;
                }, null, dryRun);
                break;
            }
            default: throw ApiException.MethodNotAllowed();
        }
        await WriteJsonAsync(ctx, 200, ToScale(result.Parse()));
    }

    private static JsonObject ToScale(JsonObject o)
    {
        var meta = o["metadata"] as JsonObject ?? new JsonObject();
        var selector = LabelSelectorText(Json.At(o, "spec", "selector"));
        return new JsonObject
        {
            ["kind"] = "Scale",
            ["apiVersion"] = "autoscaling/v1",
            ["metadata"] = new JsonObject
            {
                ["name"] = meta["name"]?.DeepClone(),
                ["namespace"] = meta["namespace"]?.DeepClone(),
                ["uid"] = meta["uid"]?.DeepClone(),
                ["resourceVersion"] = meta["resourceVersion"]?.DeepClone(),
                ["creationTimestamp"] = meta["creationTimestamp"]?.DeepClone(),
            },
            ["spec"] = new JsonObject { ["replicas"] = Json.Long(o, "spec", "replicas") ?? 0 },
            ["status"] = new JsonObject { ["replicas"] = Json.Long(o, "status", "replicas") ?? 0, ["selector"] = selector },
        };
    }

    private static string LabelSelectorText(JsonNode? selector)
    {
        if (selector is JsonValue v) return Json.Str(v) ?? "";
        var parts = new List<string>();
        if (selector?["matchLabels"] is JsonObject ml) parts.AddRange(ml.Select(kv => $"{kv.Key}={Json.Str(kv.Value)}"));
        return string.Join(",", parts);
    }

    /// <summary>
    /// pods/log: what the kubelet would answer. The text comes from the pod's sandbox.clusterops.io/logs annotation,
    /// or a short simulated start-up log; waiting containers get the kubelet's 400.
    /// </summary>
    private async Task PodLogAsync(HttpContext ctx, Target t)
    {
        var pod = (_store.Get(t.Def, t.Namespace, t.Name!) ?? throw ApiException.NotFound(t.Def, t.Name!)).Parse();
        var containers = Json.Objects(Json.At(pod, "spec", "containers")).Select(c => Json.Str(c, "name") ?? "").ToList();
        var container = ctx.Request.Query["container"].ToString();
        if (container.Length == 0)
        {
            if (containers.Count != 1)
                throw ApiException.BadRequest($"a container name must be specified for pod {t.Name}, choose one of: [{string.Join(" ", containers)}]");
            container = containers[0];
        }
        else if (!containers.Contains(container))
            throw ApiException.BadRequest($"container {container} is not valid for pod {t.Name}");
        var status = Json.Objects(Json.At(pod, "status", "containerStatuses")).FirstOrDefault(c => Json.Str(c, "name") == container);
        var waiting = Json.Str(status, "state", "waiting", "reason");
        var previous = ctx.Request.Query["previous"].ToString() == "true";
        if (status == null || (waiting != null && waiting != "CrashLoopBackOff"))
        {
            var why = waiting switch
            {
                "ImagePullBackOff" or "ErrImagePull" => "trying and failing to pull image",
                null => "ContainerCreating",
                _ => waiting,
            };
            throw ApiException.BadRequest($"container \"{container}\" in pod \"{t.Name}\" is waiting to start: {why}");
        }
        var started = Json.Str(status, "state", "running", "startedAt") ?? Json.Str(status, "lastState", "terminated", "startedAt")
            ?? Json.Str(status, "state", "terminated", "startedAt") ?? Json.Str(pod, "status", "startTime") ?? _store.Clock.Timestamp();
        var text = Json.Str(pod, "metadata", "annotations", "sandbox.clusterops.io/logs")
            ?? (waiting == "CrashLoopBackOff" || previous
                ? $"{started} sandbox: starting {Json.Str(status, "image")}\n{started} sandbox: fatal: the container exited with code 1 (simulated crash)\n"
                : $"{started} sandbox: starting {Json.Str(status, "image")}\n{started} sandbox: {container} is ready\n");
        if (long.TryParse(ctx.Request.Query["tailLines"].ToString(), out var tail) && tail >= 0)
            text = string.Join("", text.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast((int)tail).Select(l => l + "\n"));
        await WriteTextAsync(ctx, 200, text);
    }

    private async Task SelfSubjectReviewAsync(HttpContext ctx, Identity identity)
    {
        await ReadBodyAsync(ctx, allowEmpty: true);
        await WriteJsonAsync(ctx, 201, new JsonObject
        {
            ["kind"] = "SelfSubjectReview",
            ["apiVersion"] = "authentication.k8s.io/v1",
            ["metadata"] = new JsonObject { ["creationTimestamp"] = _store.Clock.Timestamp() },
            ["status"] = new JsonObject
            {
                ["userInfo"] = new JsonObject
                {
                    ["username"] = identity.User,
                    ["uid"] = identity.Uid,
                    ["groups"] = new JsonArray(identity.Groups.Select(g => (JsonNode)g).ToArray()),
                },
            },
        });
    }

    // ---------------------------------------------------------------- watch

    private async Task WatchAsync(HttpContext ctx, Target t)
    {
        var q = ctx.Request.Query;
        var labels = LabelSelector.Parse(q["labelSelector"].ToString());
        var fields = FieldSelector.Parse(q["fieldSelector"].ToString(), t.Def);
        var table = WantsTable(ctx);
        var includeObject = IncludeObject(ctx);
        var bookmarks = q["allowWatchBookmarks"].ToString() is "true" or "1";
        var rvParam = q["resourceVersion"].ToString();
        // The WatchList protocol: current state as ADDED events, then a bookmark marking their end.
        var sendInitialEvents = q["sendInitialEvents"].ToString() == "true";
        var timeout = long.TryParse(q["timeoutSeconds"].ToString(), out var ts) && ts > 0 ? TimeSpan.FromSeconds(ts) : TimeSpan.FromMinutes(30);

        Watcher watcher;
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "application/json";
        try
        {
            watcher = _store.Watch(t.Def, t.Namespace, rvParam, initialEvents: sendInitialEvents);
        }
        catch (ApiException e) when (e.Code == 410)
        {
            await WriteEventAsync(ctx, new JsonObject { ["type"] = "ERROR", ["object"] = e.ToStatus() });
            return;
        }
        using var _ = watcher;
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted, watcher.Closed);
        cts.CancelAfter(timeout);
        await ctx.Response.StartAsync(cts.Token);
        await ctx.Response.Body.FlushAsync(cts.Token);
        long.TryParse(rvParam, out var lastRv);
        var first = true;
        var initialLeft = watcher.InitialEvents;
        if (sendInitialEvents && initialLeft == 0)
            await WriteEventAsync(ctx, InitialEventsEnd(t.Def, watcher.StartResourceVersion));
        var reader = watcher.Events.Reader;
        try
        {
            while (!cts.IsCancellationRequested)
            {
                bool ready;
                if (bookmarks)
                {
                    using var tick = CancellationTokenSource.CreateLinkedTokenSource(cts.Token);
                    tick.CancelAfter(_options.BookmarkInterval);
                    try { ready = await reader.WaitToReadAsync(tick.Token); }
                    catch (OperationCanceledException) when (!cts.IsCancellationRequested)
                    {
                        await WriteEventAsync(ctx, new JsonObject
                        {
                            ["type"] = "BOOKMARK",
                            ["object"] = new JsonObject { ["kind"] = t.Def.Kind, ["apiVersion"] = t.Def.ApiVersion, ["metadata"] = new JsonObject { ["resourceVersion"] = lastRv.ToString() } },
                        });
                        continue;
                    }
                }
                else ready = await reader.WaitToReadAsync(cts.Token);
                if (!ready) break;
                while (reader.TryRead(out var ev))
                {
                    lastRv = Math.Max(lastRv, ev.ResourceVersion);
                    var type = Classify(ev, o => labels.Matches(o.Labels) && fields.Matches(o));
                    if (type != null)
                    {
                        var obj = ev.Object.Parse();
                        JsonNode payload = table
                            ? Tables.Table(t.Def, [obj], _store.Clock.UtcNow, includeObject, ev.ResourceVersion.ToString(), null, null, withColumns: first)
                            : obj;
                        first = false;
                        await WriteEventAsync(ctx, new JsonObject { ["type"] = type, ["object"] = payload });
                    }
                    if (initialLeft > 0 && --initialLeft == 0 && sendInitialEvents)
                    {
                        lastRv = Math.Max(lastRv, watcher.StartResourceVersion);
                        await WriteEventAsync(ctx, InitialEventsEnd(t.Def, watcher.StartResourceVersion));
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (IOException)
        {
        }
    }

    private static JsonObject InitialEventsEnd(ResourceDef def, long rv) => new()
    {
        ["type"] = "BOOKMARK",
        ["object"] = new JsonObject
        {
            ["kind"] = def.Kind,
            ["apiVersion"] = def.ApiVersion,
            ["metadata"] = new JsonObject
            {
                ["resourceVersion"] = rv.ToString(),
                ["annotations"] = new JsonObject { ["k8s.io/initial-events-end"] = "true" },
            },
        },
    };

    /// <summary>With selectors, an object entering the selection is ADDED and one leaving it is DELETED, as on a real server.</summary>
    private static string? Classify(WatchEvent ev, Func<StoredObject, bool> matches)
    {
        var now = matches(ev.Object);
        if (ev.Type is "ADDED" or "DELETED") return now ? ev.Type : null;
        var before = ev.Old != null && matches(ev.Old);
        return (before, now) switch
        {
            (true, true) => "MODIFIED",
            (false, true) => "ADDED",
            (true, false) => "DELETED",
            _ => null,
        };
    }

    private static async Task WriteEventAsync(HttpContext ctx, JsonObject ev)
    {
        var bytes = Json.ToBytes(ev);
        await ctx.Response.Body.WriteAsync(bytes);
        await ctx.Response.Body.WriteAsync("\n"u8.ToArray());
        await ctx.Response.Body.FlushAsync();
    }

    // ---------------------------------------------------------------- admin

    private async Task AdminAsync(HttpContext ctx, string path)
    {
        var header = ctx.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header[7..].Trim() != _adminToken)
            throw ApiException.Unauthorized();
        var body = await ReadBodyAsync(ctx, allowEmpty: true);
        var o = body.Length > 0 ? JsonNode.Parse(body) as JsonObject ?? new JsonObject() : new JsonObject();
        var op = path["/sandbox/admin/".Length..].TrimEnd('/');
        var result = new JsonObject { ["ok"] = true };
        switch (op, ctx.Request.Method)
        {
            case ("faults", "POST"):
                var count = (int)(Json.Long(o, "count") ?? 1);
                var pattern = Json.Str(o, "path") ?? "*";
                if (Json.Bool(o, "abort") == true) _faults.DropNext(count, Json.Str(o, "method"), pattern);
                else _faults.FailNext(count, Json.Str(o, "method"), pattern, (int)(Json.Long(o, "status") ?? 500),
                    Json.Long(o, "retryAfterSeconds") is { } ra ? TimeSpan.FromSeconds(ra) : null, (int)(Json.Long(o, "skip") ?? 0));
                break;
            case ("faults", "DELETE"): _faults.Clear(); break;
            case ("latency", "POST"): _faults.AddLatency(TimeSpan.FromMilliseconds(Json.Long(o, "milliseconds") ?? 0), Json.Str(o, "path") ?? "*"); break;
            case ("unreachable", "POST"): _faults.Unreachable = Json.Bool(o, "enabled") != false; break;
            case ("close-watches", "POST"): result["closed"] = _faults.CloseWatches(); break;
            case ("compact", "POST"): _faults.Compact(); break;
            // How many API requests reached the server: a test proves that a refused input sent nothing.
            case ("requests", "GET"): result["count"] = Interlocked.Read(ref _apiRequests); break;
            case ("clock", "POST"): _advanceClock(TimeSpan.FromSeconds(Json.Long(o, "advanceSeconds") ?? 0)); result["now"] = _store.Clock.Timestamp(); break;
            case ("tokens", "POST"):
                _auth.AddToken(Json.Str(o, "token") ?? throw ApiException.BadRequest("token is required"), Json.Str(o, "user") ?? "sandbox-user", Json.Bool(o, "readOnly") == true, null);
                break;
            case ("tokens", "DELETE"): result["removed"] = _auth.RemoveToken(Json.Str(o, "token") ?? ""); break;
            default: throw ApiException.PathNotFound();
        }
        await WriteJsonAsync(ctx, 200, result);
    }

    // ---------------------------------------------------------------- io

    private static bool WantsTable(HttpContext ctx) =>
        ctx.Request.Headers.Accept.ToString().Contains("as=Table", StringComparison.Ordinal);

    private static string IncludeObject(HttpContext ctx) => ctx.Request.Query["includeObject"].ToString() switch
    {
        "None" => "None",
        "Object" => "Object",
        _ => "Metadata",
    };

    private static async Task<byte[]> ReadBodyAsync(HttpContext ctx, bool allowEmpty = false)
    {
        using var ms = new MemoryStream();
        await ctx.Request.Body.CopyToAsync(ms, ctx.RequestAborted);
        if (ms.Length == 0 && !allowEmpty) throw ApiException.BadRequest("the request body is empty");
        return ms.ToArray();
    }

    private static async Task<JsonObject> ReadObjectAsync(HttpContext ctx)
    {
        var contentType = ctx.Request.ContentType ?? "";
        var body = await ReadBodyAsync(ctx);
        // kubectl's typed clients (create namespace/secret/deployment ..., run) send protobuf.
        if (KubeProtobuf.IsProtobuf(contentType)) return KubeProtobuf.Decode(body);
        // kubectl's scale PUT sends no Content-Type at all: treat it as JSON.
        if (contentType.Contains("yaml", StringComparison.OrdinalIgnoreCase))
            return Yaml.ParseDocuments(Encoding.UTF8.GetString(body)).FirstOrDefault() ?? throw ApiException.BadRequest("the request body is empty");
        return Json.ParseObject(body);
    }

    private static Task WriteJsonAsync(HttpContext ctx, int status, JsonNode body) => WriteBytesAsync(ctx, status, Json.ToBytes(body));

    private static async Task WriteBytesAsync(HttpContext ctx, int status, ReadOnlyMemory<byte> body)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json";
        ctx.Response.ContentLength = body.Length;
        await ctx.Response.Body.WriteAsync(body, ctx.RequestAborted);
    }

    private static async Task WriteTextAsync(HttpContext ctx, int status, string text)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "text/plain; charset=utf-8";
        await ctx.Response.WriteAsync(text, ctx.RequestAborted);
    }
}
