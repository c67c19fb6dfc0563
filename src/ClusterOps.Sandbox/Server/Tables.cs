using System.Globalization;
using System.Text.Json.Nodes;

namespace ClusterOps.Sandbox.Server;

/// <summary>
/// meta.k8s.io/v1 Table conversion with the columns and cell rules of the real server's printers (1.32), so
/// `kubectl get` prints what it prints against a real cluster.
/// </summary>
internal static class Tables
{
    private sealed record Column(string Name, string Type, int Priority = 0, string Format = "", string Description = "");

    private sealed record Printer(Column[] Columns, Func<JsonObject, DateTimeOffset, object?[]> Cells);

    private static Column NameCol => new("Name", "string", 0, "name", "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names");
    private static Column AgeCol => new("Age", "string", 0, "", "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.");

    private static readonly Dictionary<string, Printer> Printers = new()
    {
        ["pods"] = new([NameCol, new("Ready", "string", 0, "", "The aggregate readiness state of this pod for accepting traffic."), new("Status", "string", 0, "", "The aggregate status of the containers in this pod."), new("Restarts", "string", 0, "", "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted."), AgeCol, new("IP", "string", 1, "", "podIP is an IP address allocated to the pod."), new("Node", "string", 1, "", "NodeName indicates in which node this pod is scheduled."), new("Nominated Node", "string", 1, "", "nominatedNodeName is set only when this pod preempts other pods on the node."), new("Readiness Gates", "string", 1, "", "If specified, all readiness gates will be evaluated for pod readiness.")], PodCells),
        ["persistentvolumeclaims"] = new([NameCol, new("Status", "string"), new("Volume", "string"), new("Capacity", "string"), new("Access Modes", "string"), new("StorageClass", "string"), new("VolumeAttributesClass", "string"), AgeCol, new("VolumeMode", "string", 1)], PvcCells),
        ["persistentvolumes"] = new([NameCol, new("Capacity", "string"), new("Access Modes", "string"), new("Reclaim Policy", "string"), new("Status", "string"), new("Claim", "string"), new("StorageClass", "string"), new("VolumeAttributesClass", "string"), new("Reason", "string"), AgeCol, new("VolumeMode", "string", 1)], PvCells),
        ["deployments.apps"] = new([NameCol, new("Ready", "string"), new("Up-to-date", "string"), new("Available", "string"), AgeCol, new("Containers", "string", 1), new("Images", "string", 1), new("Selector", "string", 1)], DeploymentCells),
        ["statefulsets.apps"] = new([NameCol, new("Ready", "string"), AgeCol, new("Containers", "string", 1), new("Images", "string", 1)], StatefulSetCells),
        ["services"] = new([NameCol, new("Type", "string"), new("Cluster-IP", "string"), new("External-IP", "string"), new("Port(s)", "string"), AgeCol, new("Selector", "string", 1)], ServiceCells),
        ["secrets"] = new([NameCol, new("Type", "string"), new("Data", "string"), AgeCol], (o, now) => [Name(o), Json.Str(o, "type") ?? "", (o["data"] as JsonObject)?.Count ?? 0, Age(o, now)]),
        ["configmaps"] = new([NameCol, new("Data", "string"), AgeCol], (o, now) => [Name(o), ((o["data"] as JsonObject)?.Count ?? 0) + ((o["binaryData"] as JsonObject)?.Count ?? 0), Age(o, now)]),
        ["serviceaccounts"] = new([NameCol, new("Secrets", "string"), AgeCol], (o, now) => [Name(o), (o["secrets"] as JsonArray)?.Count ?? 0, Age(o, now)]),
        ["nodes"] = new([NameCol, new("Status", "string"), new("Roles", "string"), AgeCol, new("Version", "string"), new("Internal-IP", "string", 1), new("External-IP", "string", 1), new("OS-Image", "string", 1), new("Kernel-Version", "string", 1), new("Container-Runtime", "string", 1)], NodeCells),
        ["namespaces"] = new([NameCol, new("Status", "string"), AgeCol], (o, now) => [Name(o), Json.Str(o, "status", "phase") ?? "", Age(o, now)]),
        ["events"] = new([new("Last Seen", "string"), new("Type", "string"), new("Reason", "string"), new("Object", "string"), new("Subobject", "string", 1), new("Source", "string", 1), new("Message", "string"), new("First Seen", "string", 1), new("Count", "string", 1), new("Name", "string", 1, "name")], EventCells),
        ["replicasets.apps"] = new([NameCol, new("Desired", "integer"), new("Current", "integer"), new("Ready", "integer"), AgeCol, new("Containers", "string", 1), new("Images", "string", 1), new("Selector", "string", 1)], ReplicaSetCells),
        ["cronjobs.batch"] = new([NameCol, new("Schedule", "string"), new("Timezone", "string"), new("Suspend", "boolean"), new("Active", "integer"), new("Last Schedule", "string"), AgeCol, new("Containers", "string", 1), new("Images", "string", 1), new("Selector", "string", 1)], CronJobCells),
        ["jobs.batch"] = new([NameCol, new("Status", "string"), new("Completions", "string"), new("Duration", "string"), AgeCol, new("Containers", "string", 1), new("Images", "string", 1), new("Selector", "string", 1)], JobCells),
        ["storageclasses.storage.k8s.io"] = new([NameCol, new("Provisioner", "string"), new("ReclaimPolicy", "string"), new("VolumeBindingMode", "string"), new("AllowVolumeExpansion", "string"), AgeCol], StorageClassCells),
        ["roles.rbac.authorization.k8s.io"] = new([NameCol, new("Created At", "date")], (o, _) => [Name(o), Json.Str(o, "metadata", "creationTimestamp") ?? ""]),
        ["rolebindings.rbac.authorization.k8s.io"] = new([NameCol, new("Role", "string"), AgeCol, new("Users", "string", 1), new("Groups", "string", 1), new("ServiceAccounts", "string", 1)], RoleBindingCells),
        ["customresourcedefinitions.apiextensions.k8s.io"] = new([NameCol, new("Created At", "date")], (o, _) => [Name(o), Json.Str(o, "metadata", "creationTimestamp") ?? ""]),
    };

    private static readonly Printer DefaultPrinter = new([NameCol, AgeCol], (o, now) => [Name(o), Age(o, now)]);

    private static Printer PrinterFor(ResourceDef def)
    {
        if (def.IsCustom && def.PrinterColumns is { Count: > 0 } cols)
        {
            var columns = new List<Column> { NameCol };
            var paths = new List<(string Path, string Type)>();
            foreach (var c in cols.OfType<JsonObject>())
            {
                var type = Json.Str(c, "type") ?? "string";
                columns.Add(new Column(Json.Str(c, "name") ?? "", type, (int)(Json.Long(c, "priority") ?? 0), Json.Str(c, "format") ?? "", Json.Str(c, "description") ?? ""));
                paths.Add((Json.Str(c, "jsonPath") ?? "", type));
            }
            return new Printer(columns.ToArray(), (o, now) =>
            {
                var cells = new object?[paths.Count + 1];
                cells[0] = Name(o);
                for (var i = 0; i < paths.Count; i++) cells[i + 1] = JsonPathCell(o, paths[i].Path, paths[i].Type, now);
                return cells;
            });
        }
        return Printers.GetValueOrDefault(def.GroupResource) ?? DefaultPrinter;
    }

    public static JsonArray ColumnDefinitions(ResourceDef def)
    {
        var arr = new JsonArray();
        foreach (var c in PrinterFor(def).Columns)
            arr.Add(new JsonObject { ["name"] = c.Name, ["type"] = c.Type, ["format"] = c.Format, ["description"] = c.Description, ["priority"] = c.Priority });
        return arr;
    }

    /// <summary>One row: cells plus the object as PartialObjectMetadata (or the full object, or none).</summary>
    public static JsonObject Row(ResourceDef def, JsonObject obj, DateTimeOffset now, string includeObject)
    {
        var cells = new JsonArray();
        foreach (var c in PrinterFor(def).Cells(obj, now))
            cells.Add(c switch { null => null, string s => JsonValue.Create(s), int i => JsonValue.Create(i), long l => JsonValue.Create(l), bool b => JsonValue.Create(b), JsonNode n => n, _ => JsonValue.Create(c.ToString()) });
        var row = new JsonObject { ["cells"] = cells };
        switch (includeObject)
        {
            case "None": break;
            case "Object": row["object"] = obj.DeepClone(); break;
            default:
                var meta = obj["metadata"]?.DeepClone() as JsonObject ?? new JsonObject();
                meta.Remove("managedFields");
                row["object"] = new JsonObject { ["kind"] = "PartialObjectMetadata", ["apiVersion"] = "meta.k8s.io/v1", ["metadata"] = meta };
                break;
        }
        return row;
    }

    public static JsonObject Table(ResourceDef def, IEnumerable<JsonObject> objects, DateTimeOffset now, string includeObject,
        string resourceVersion, string? continueToken, long? remaining, bool withColumns = true)
    {
        var meta = new JsonObject { ["resourceVersion"] = resourceVersion };
        if (continueToken != null) meta["continue"] = continueToken;
        if (remaining != null) meta["remainingItemCount"] = remaining;
        var rows = new JsonArray();
        foreach (var o in objects) rows.Add(Row(def, o, now, includeObject));
        var table = new JsonObject { ["kind"] = "Table", ["apiVersion"] = "meta.k8s.io/v1", ["metadata"] = meta };
        table["columnDefinitions"] = withColumns ? ColumnDefinitions(def) : null;
        table["rows"] = rows;
        return table;
    }

    // ---------------------------------------------------------------- cells

    private static string Name(JsonObject o) => Json.Str(o, "metadata", "name") ?? "";

    private static string Age(JsonObject o, DateTimeOffset now) => AgeOf(Json.Str(o, "metadata", "creationTimestamp"), now);

    private static string AgeOf(string? timestamp, DateTimeOffset now)
    {
        if (timestamp == null || !DateTimeOffset.TryParse(timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t))
            return "<unknown>";
        return HumanDuration(now - t);
    }

    /// <summary>apimachinery's duration.HumanDuration.</summary>
    public static string HumanDuration(TimeSpan d)
    {
        if (d.TotalSeconds < -1) return "<invalid>";
        if (d.TotalSeconds < 0) return "0s";
        var seconds = (long)d.TotalSeconds;
        if (seconds < 60 * 2) return $"{seconds}s";
        var minutes = seconds / 60;
        if (minutes < 10)
        {
            var s = seconds % 60;
            return s == 0 ? $"{minutes}m" : $"{minutes}m{s}s";
        }
        if (minutes < 60 * 3) return $"{minutes}m";
        var hours = minutes / 60;
        if (hours < 8)
        {
            var m = minutes % 60;
            return m == 0 ? $"{hours}h" : $"{hours}h{m}m";
        }
        if (hours < 48) return $"{hours}h";
        if (hours < 24 * 8)
        {
            var h = hours % 24;
            return h == 0 ? $"{hours / 24}d" : $"{hours / 24}d{h}h";
        }
        if (hours < 24 * 365 * 2) return $"{hours / 24}d";
        if (hours < 24 * 365 * 8)
        {
            var dy = hours / 24 % 365;
            return dy == 0 ? $"{hours / 24 / 365}y" : $"{hours / 24 / 365}y{dy}d";
        }
        return $"{hours / 24 / 365}y";
    }

    private static string AccessModes(JsonNode? modes)
    {
        if (modes is not JsonArray a) return "";
        var list = new List<string>();
        foreach (var m in a.Select(x => Json.Str(x)))
        {
            var abbrev = m switch { "ReadWriteOnce" => "RWO", "ReadOnlyMany" => "ROX", "ReadWriteMany" => "RWX", "ReadWriteOncePod" => "RWOP", _ => null };
            if (abbrev != null && !list.Contains(abbrev)) list.Add(abbrev);
        }
        return string.Join(",", list);
    }

    private static object?[] PodCells(JsonObject o, DateTimeOffset now)
    {
        var containers = (Json.At(o, "spec", "containers") as JsonArray)?.Count ?? 0;
        var statuses = Json.Objects(Json.At(o, "status", "containerStatuses")).ToList();
        var ready = statuses.Count(s => Json.Bool(s, "ready") == true);
        var restarts = statuses.Sum(s => Json.Long(s, "restartCount") ?? 0);
        var reason = Json.Str(o, "status", "reason") is { Length: > 0 } r ? r : Json.Str(o, "status", "phase") ?? "";
        foreach (var s in statuses)
        {
            var waiting = Json.Str(s, "state", "waiting", "reason");
            var terminated = Json.Str(s, "state", "terminated", "reason");
            if (!string.IsNullOrEmpty(waiting)) reason = waiting;
            else if (!string.IsNullOrEmpty(terminated)) reason = terminated;
        }
        if (Json.At(o, "metadata", "deletionTimestamp") != null) reason = Json.Str(o, "status", "reason") == "NodeLost" ? "Unknown" : "Terminating";
        var lastRestart = statuses.Select(s => Json.Str(s, "lastState", "terminated", "finishedAt")).Where(x => x != null).Max();
        object restartCell = lastRestart != null && restarts > 0 ? $"{restarts} ({AgeOf(lastRestart, now)} ago)" : restarts;
        return [Name(o), $"{ready}/{containers}", reason, restartCell, Age(o, now),
            Json.Str(o, "status", "podIP") ?? "<none>", Json.Str(o, "spec", "nodeName") ?? "<none>",
            Json.Str(o, "status", "nominatedNodeName") ?? "<none>", "<none>"];
    }

    private static object?[] NodeCells(JsonObject o, DateTimeOffset now)
    {
        var ready = Json.Objects(Json.At(o, "status", "conditions")).FirstOrDefault(c => Json.Str(c, "type") == "Ready");
        var status = ready == null ? "Unknown" : Json.Str(ready, "status") == "True" ? "Ready" : "NotReady";
        if (Json.Bool(o, "spec", "unschedulable") == true) status += ",SchedulingDisabled";
        var roles = (Json.At(o, "metadata", "labels") as JsonObject)?.Select(kv => kv.Key)
            .Where(k => k.StartsWith("node-role.kubernetes.io/", StringComparison.Ordinal)).Select(k => k["node-role.kubernetes.io/".Length..]).ToList() ?? [];
        string Address(string type) => Json.Objects(Json.At(o, "status", "addresses")).Where(a => Json.Str(a, "type") == type).Select(a => Json.Str(a, "address")).FirstOrDefault() ?? "<none>";
        return [Name(o), status, roles.Count > 0 ? string.Join(",", roles) : "<none>", Age(o, now), Json.Str(o, "status", "nodeInfo", "kubeletVersion") ?? "",
            Address("InternalIP"), Address("ExternalIP"), Json.Str(o, "status", "nodeInfo", "osImage") ?? "", Json.Str(o, "status", "nodeInfo", "kernelVersion") ?? "",
            Json.Str(o, "status", "nodeInfo", "containerRuntimeVersion") ?? ""];
    }

    private static object?[] PvcCells(JsonObject o, DateTimeOffset now)
    {
        var phase = Json.At(o, "metadata", "deletionTimestamp") != null ? "Terminating" : Json.Str(o, "status", "phase") ?? "";
        var volume = Json.Str(o, "spec", "volumeName") ?? "";
        var capacity = volume.Length > 0 ? Json.Str(o, "status", "capacity", "storage") ?? "" : "";
        var modes = volume.Length > 0 ? AccessModes(Json.At(o, "status", "accessModes")) : "";
        var sc = Json.Str(o, "spec", "storageClassName") ?? Json.Str(o, "metadata", "annotations", "volume.beta.kubernetes.io/storage-class") ?? "";
        return [Name(o), phase, volume, capacity, modes, sc, Json.Str(o, "spec", "volumeAttributesClassName") ?? "<unset>", Age(o, now),
            Json.Str(o, "spec", "volumeMode") ?? "<unset>"];
    }

    private static object?[] PvCells(JsonObject o, DateTimeOffset now)
    {
        var claim = Json.At(o, "spec", "claimRef") is JsonObject cr ? $"{Json.Str(cr, "namespace")}/{Json.Str(cr, "name")}" : "";
        var phase = Json.At(o, "metadata", "deletionTimestamp") != null ? "Terminating" : Json.Str(o, "status", "phase") ?? "";
        return [Name(o), Json.Str(o, "spec", "capacity", "storage") ?? "", AccessModes(Json.At(o, "spec", "accessModes")),
            Json.Str(o, "spec", "persistentVolumeReclaimPolicy") ?? "", phase, claim, Json.Str(o, "spec", "storageClassName") ?? "",
            Json.Str(o, "spec", "volumeAttributesClassName") ?? "<unset>", Json.Str(o, "status", "reason") ?? "", Age(o, now),
            Json.Str(o, "spec", "volumeMode") ?? "<unset>"];
    }

    private static (string Names, string Images) Containers(JsonObject o, params string[] templatePath)
    {
        var cs = Json.Objects(Json.At(o, templatePath.Append("containers").ToArray())).ToList();
        return (string.Join(",", cs.Select(c => Json.Str(c, "name"))), string.Join(",", cs.Select(c => Json.Str(c, "image"))));
    }

    private static string SelectorText(JsonNode? selector)
    {
        if (selector == null) return "<none>";
        var parts = new List<string>();
        if (selector["matchLabels"] is JsonObject ml) parts.AddRange(ml.Select(kv => $"{kv.Key}={Json.Str(kv.Value)}"));
        foreach (var e in Json.Objects(selector["matchExpressions"]))
        {
            var values = string.Join(",", (e["values"] as JsonArray ?? []).Select(v => Json.Str(v)));
            parts.Add(Json.Str(e, "operator") switch
            {
                "In" => $"{Json.Str(e, "key")} in ({values})",
                "NotIn" => $"{Json.Str(e, "key")} notin ({values})",
                "Exists" => Json.Str(e, "key")!,
                _ => "!" + Json.Str(e, "key"),
            });
        }
        return parts.Count == 0 ? "<none>" : string.Join(",", parts);
    }

    private static object?[] DeploymentCells(JsonObject o, DateTimeOffset now)
    {
        var (names, images) = Containers(o, "spec", "template", "spec");
        return [Name(o), $"{Json.Long(o, "status", "readyReplicas") ?? 0}/{Json.Long(o, "spec", "replicas") ?? 0}",
            Json.Long(o, "status", "updatedReplicas") ?? 0, Json.Long(o, "status", "availableReplicas") ?? 0, Age(o, now),
            names, images, SelectorText(Json.At(o, "spec", "selector"))];
    }

    private static object?[] StatefulSetCells(JsonObject o, DateTimeOffset now)
    {
        var (names, images) = Containers(o, "spec", "template", "spec");
        return [Name(o), $"{Json.Long(o, "status", "readyReplicas") ?? 0}/{Json.Long(o, "spec", "replicas") ?? 0}", Age(o, now), names, images];
    }

    private static object?[] ServiceCells(JsonObject o, DateTimeOffset now)
    {
        var type = Json.Str(o, "spec", "type") ?? "ClusterIP";
        var external = (Json.At(o, "spec", "externalIPs") as JsonArray)?.Select(x => Json.Str(x)).ToList() ?? [];
        var ingress = Json.Objects(Json.At(o, "status", "loadBalancer", "ingress")).Select(i => Json.Str(i, "ip") ?? Json.Str(i, "hostname")).ToList();
        var ext = type switch
        {
            "ExternalName" => Json.Str(o, "spec", "externalName") ?? "<none>",
            "LoadBalancer" => ingress.Count + external.Count > 0 ? string.Join(",", ingress.Concat(external)) : "<pending>",
            _ => external.Count > 0 ? string.Join(",", external) : "<none>",
        };
        var ports = Json.Objects(Json.At(o, "spec", "ports")).Select(p =>
        {
            var np = Json.Long(p, "nodePort");
            var proto = Json.Str(p, "protocol") ?? "TCP";
            return np is > 0 ? $"{Json.Long(p, "port")}:{np}/{proto}" : $"{Json.Long(p, "port")}/{proto}";
        }).ToList();
        var selector = Json.At(o, "spec", "selector") is JsonObject sel && sel.Count > 0
            ? string.Join(",", sel.Select(kv => $"{kv.Key}={Json.Str(kv.Value)}")) : "<none>";
        return [Name(o), type, Json.Str(o, "spec", "clusterIP") is { Length: > 0 } ip ? ip : "<none>", ext,
            ports.Count > 0 ? string.Join(",", ports) : "<none>", Age(o, now), selector];
    }

    private static object?[] EventCells(JsonObject o, DateTimeOffset now)
    {
        var last = Json.Str(o, "lastTimestamp") ?? Json.Str(o, "eventTime") ?? Json.Str(o, "metadata", "creationTimestamp");
        var first = Json.Str(o, "firstTimestamp") ?? Json.Str(o, "eventTime") ?? last;
        var source = Json.Str(o, "source", "component") ?? Json.Str(o, "reportingComponent") ?? "";
        if (Json.Str(o, "source", "host") is { Length: > 0 } host) source += ", " + host;
        var kind = (Json.Str(o, "involvedObject", "kind") ?? "").ToLowerInvariant();
        return [AgeOf(last, now), Json.Str(o, "type") ?? "", Json.Str(o, "reason") ?? "", $"{kind}/{Json.Str(o, "involvedObject", "name")}",
            Json.Str(o, "involvedObject", "fieldPath") ?? "", source, Json.Str(o, "message") ?? "", AgeOf(first, now),
            Json.Long(o, "count") ?? 1, Name(o)];
    }

    private static object?[] ReplicaSetCells(JsonObject o, DateTimeOffset now)
    {
        var (names, images) = Containers(o, "spec", "template", "spec");
        var selector = Json.At(o, "spec", "selector", "matchLabels") is JsonObject m ? string.Join(",", m.Select(kv => $"{kv.Key}={Json.Str(kv.Value)}")) : "<none>";
        return [Name(o), Json.Long(o, "spec", "replicas") ?? 0, Json.Long(o, "status", "replicas") ?? 0, Json.Long(o, "status", "readyReplicas") ?? 0, Age(o, now), names, images, selector];
    }

    private static object?[] CronJobCells(JsonObject o, DateTimeOffset now)
    {
        var (names, images) = Containers(o, "spec", "jobTemplate", "spec", "template", "spec");
        var last = Json.Str(o, "status", "lastScheduleTime") is { } t && DateTimeOffset.TryParse(t, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? HumanDuration(now - at) : "<none>";
        return [Name(o), Json.Str(o, "spec", "schedule") ?? "", Json.Str(o, "spec", "timeZone") ?? "<none>", Json.Bool(o, "spec", "suspend") ?? false,
            (Json.At(o, "status", "active") as JsonArray)?.Count ?? 0, last, Age(o, now), names, images, "<none>"];
    }

    private static object?[] JobCells(JsonObject o, DateTimeOffset now)
    {
        var conds = Json.Objects(Json.At(o, "status", "conditions")).Where(c => Json.Str(c, "status") == "True").Select(c => Json.Str(c, "type")).ToList();
        var status = Json.At(o, "metadata", "deletionTimestamp") != null ? "Terminating"
            : conds.Contains("Complete") ? "Complete"
            : conds.Contains("Failed") ? "Failed"
            : conds.Contains("Suspended") ? "Suspended"
            : conds.Contains("FailureTarget") ? "FailureTarget"
            : conds.Contains("SuccessCriteriaMet") ? "SuccessCriteriaMet"
            : "Running";
        var completions = Json.Long(o, "spec", "completions");
        var succeeded = Json.Long(o, "status", "succeeded") ?? 0;
        var comp = completions != null ? $"{succeeded}/{completions}" : $"{succeeded}/1 of {Json.Long(o, "spec", "parallelism") ?? 1}";
        var duration = "";
        if (Json.Str(o, "status", "startTime") is { } start && DateTimeOffset.TryParse(start, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var st))
        {
            var end = Json.Str(o, "status", "completionTime") is { } ct && DateTimeOffset.TryParse(ct, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var c) ? c : now;
            duration = HumanDuration(end - st);
        }
        var (names, images) = Containers(o, "spec", "template", "spec");
        return [Name(o), status, comp, duration, Age(o, now), names, images, SelectorText(Json.At(o, "spec", "selector"))];
    }

    private static object?[] StorageClassCells(JsonObject o, DateTimeOffset now)
    {
        var name = Name(o);
        var ann = Json.At(o, "metadata", "annotations") as JsonObject;
        if (Json.Str(ann, "storageclass.kubernetes.io/is-default-class") == "true" || Json.Str(ann, "storageclass.beta.kubernetes.io/is-default-class") == "true")
            name += " (default)";
        return [name, Json.Str(o, "provisioner") ?? "", Json.Str(o, "reclaimPolicy") ?? "Delete", Json.Str(o, "volumeBindingMode") ?? "Immediate",
            Json.Bool(o, "allowVolumeExpansion") ?? false, Age(o, now)];
    }

    private static object?[] RoleBindingCells(JsonObject o, DateTimeOffset now)
    {
        var subjects = Json.Objects(o["subjects"]).ToList();
        string Of(string kind) => string.Join(", ", subjects.Where(s => Json.Str(s, "kind") == kind)
            .Select(s => kind == "ServiceAccount" ? $"{Json.Str(s, "namespace")}/{Json.Str(s, "name")}" : Json.Str(s, "name")));
        return [Name(o), $"{Json.Str(o, "roleRef", "kind")}/{Json.Str(o, "roleRef", "name")}", Age(o, now), Of("User"), Of("Group"), Of("ServiceAccount")];
    }

    /// <summary>The small JSONPath subset printer columns use: .a.b, [n], and [?(@.k=="v")].</summary>
    private static object? JsonPathCell(JsonObject o, string path, string type, DateTimeOffset now)
    {
        var node = JsonPathEval(o, path);
        if (node == null) return null;
        if (type == "date") return AgeOf(Json.Str(node), now);
        if (node is JsonValue v)
        {
            if (type == "integer" && v.TryGetValue<long>(out var l)) return l;
            if (type == "boolean" && v.TryGetValue<bool>(out var b)) return b;
            if (type == "number" && v.TryGetValue<double>(out var d)) return JsonValue.Create(d);
            return Json.Str(v);
        }
        return node.ToJsonString();
    }

    internal static JsonNode? JsonPathEval(JsonNode root, string path)
    {
        var p = path.Trim();
        if (p.StartsWith('{') && p.EndsWith('}')) p = p[1..^1];
        if (p.StartsWith('$')) p = p[1..];
        JsonNode? cur = root;
        var i = 0;
        while (i < p.Length && cur != null)
        {
            if (p[i] == '.')
            {
                var j = i + 1;
                while (j < p.Length && p[j] != '.' && p[j] != '[') j++;
                var key = p[(i + 1)..j];
                if (key.Length > 0) cur = cur is JsonObject o ? o[key] : null;
                i = j;
            }
            else if (p[i] == '[')
            {
                var close = p.IndexOf(']', i);
                if (close < 0) return null;
                var inner = p[(i + 1)..close];
                if (inner.StartsWith("?(@.") && inner.EndsWith(')'))
                {
                    var expr = inner[4..^1];
                    var eq = expr.IndexOf("==", StringComparison.Ordinal);
                    if (eq < 0) return null;
                    var field = expr[..eq].Trim();
                    var want = expr[(eq + 2)..].Trim().Trim('"', '\'');
                    cur = (cur as JsonArray)?.FirstOrDefault(x => x is JsonObject xo && Json.Str(xo, field.Split('.')) == want);
                }
                else if (inner.StartsWith('\'') || inner.StartsWith('"')) cur = cur is JsonObject o ? o[inner.Trim('\'', '"')] : null;
                else if (int.TryParse(inner, out var idx)) cur = cur is JsonArray a && idx >= 0 && idx < a.Count ? a[idx] : null;
                else return null;
                i = close + 1;
            }
            else return null;
        }
        return cur;
    }
}
