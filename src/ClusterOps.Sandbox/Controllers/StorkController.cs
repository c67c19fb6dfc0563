using System.Globalization;
using System.Text.Json.Nodes;
using ClusterOps.Sandbox.Server;

namespace ClusterOps.Sandbox.Controllers;

/// <summary>
/// Stork's MigrationSchedule and Migration controllers (seed-semantics §1.3, §1.5, §1.6) on the sandbox clock (UTC as
/// the stork pod's local zone): trigger rules with the one-hour window, one migration at a time, status items per
/// policy type, pruning up to the newest success, events, ownerReferences and the cleanup finalizer.
/// </summary>
internal sealed partial class ControllerManager
{
    public const string StorkGroup = "stork.libopenstorage.org";
    public const string StorkFinalizer = "stork.libopenstorage.org/finalizer-cleanup";
    private static readonly string[] PolicyTypes = ["Interval", "Daily", "Weekly", "Monthly"];

    private ResourceDef? Stork(string plural) => _store.Registry.Find(StorkGroup, "v1alpha1", plural);

    // ---------------------------------------------------------------- policy maths

    /// <summary>Go's time.Kitchen ("3:04PM"), then "3:04pm": nothing looser, nothing after (a trailing newline is extra text).</summary>
    internal static bool TryParseKitchen(string? text, out TimeSpan timeOfDay) => GoKitchen.TryParse(text, out timeOfDay, out _);

    internal static DayOfWeek? ParseWeekday(string? day) => day switch
    {
        "Sunday" or "Sun" or "sunday" or "sun" => DayOfWeek.Sunday,
        "Monday" or "Mon" or "monday" or "mon" => DayOfWeek.Monday,
        "Tuesday" or "Tue" or "tuesday" or "tue" => DayOfWeek.Tuesday,
        "Wednesday" or "Wed" or "wednesday" or "wed" => DayOfWeek.Wednesday,
        "Thursday" or "Thu" or "thursday" or "thu" or "Thur" or "Thurs" or "thur" or "thurs" => DayOfWeek.Thursday,
        "Friday" or "Fri" or "friday" or "fri" => DayOfWeek.Friday,
        "Saturday" or "Sat" or "saturday" or "sat" => DayOfWeek.Saturday,
        _ => null,
    };

    /// <summary>
    /// Stork's ValidateSchedulePolicy (pkg/schedule/schedule.go) over the sections in its order (interval, daily,
    /// weekly, monthly), each section's Validate (schedulepolicy.go) checking the time before the day or date, with
    /// Stork's messages: one bad section blocks every type. A policy with no body is valid and never triggers.
    /// </summary>
    internal static string? ValidatePolicy(JsonObject? policy)
    {
        if (policy == null) return null;
        if (policy["interval"] is JsonObject i && (Json.Long(i, "intervalMinutes") ?? 0) < 1)
            return $"Invalid intervalMinutes ({Json.Long(i, "intervalMinutes") ?? 0}) in Interval policy";
        if (policy["daily"] is JsonObject d && TimeError(d, "Daily") is { } daily)
            return daily;
        if (policy["weekly"] is JsonObject w)
        {
            if (TimeError(w, "Weekly") is { } weekly) return weekly;
            if (ParseWeekday(Json.Str(w, "day")) == null) return $"Invalid day of the week ({Json.Str(w, "day")}) in Weekly policy";
        }
        if (policy["monthly"] is JsonObject mo)
        {
            if (TimeError(mo, "Monthly") is { } monthly) return monthly;
            var date = Json.Long(mo, "date") ?? 0;
            if (date < 1 || date > 31) return $"Invalid date of the month ({date}) in Monthly policy";
        }
        return null;
    }

    private static string? TimeError(JsonObject section, string type)
    {
        var time = Json.Str(section, "time") ?? "";
        return GoKitchen.TryParse(time, out _, out var error) ? null : $"Invalid time ({time}) in {type} policy: {error}";
    }

    /// <summary>TriggerRequired for one policy type, given the newest trigger of that type (null: never).</summary>
    internal static bool TriggerRequired(JsonObject policy, string type, DateTimeOffset? lastTrigger, DateTimeOffset now)
    {
        var section = policy[type.ToLowerInvariant()] as JsonObject;
        if (section == null) return false;
        var today = new DateTimeOffset(now.Year, now.Month, now.Day, 0, 0, 0, TimeSpan.Zero);
        switch (type)
        {
            case "Interval":
                return lastTrigger == null || lastTrigger.Value.AddMinutes(Json.Long(section, "intervalMinutes") ?? 0) < now;
            case "Daily":
                TryParseKitchen(Json.Str(section, "time"), out var dt);
                return CheckTrigger(today + dt, lastTrigger, now);
            case "Weekly":
                TryParseKitchen(Json.Str(section, "time"), out var wt);
                var day = ParseWeekday(Json.Str(section, "day"))!.Value;
                return CheckTrigger((today + wt).AddHours(24 * ((int)day - (int)now.DayOfWeek)), lastTrigger, now);
            case "Monthly":
                TryParseKitchen(Json.Str(section, "time"), out var mt);
                // Go's time.Date normalises day overflow into the next month (Feb 31 -> Mar 3).
                var first = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero);
                return CheckTrigger(first.AddDays((Json.Long(section, "date") ?? 1) - 1) + mt, lastTrigger, now);
            default:
                return false;
        }
    }

    /// <summary>
    /// Stork's checkTrigger: due only inside [target, target+1h), with no catch-up. The window is not cut at midnight
    /// here: the target is recomputed from "now" on every check, so a daily or weekly target moves to the next day at
    /// midnight by itself, while a monthly target stays on its date (built from this month) and so a window opened late
    /// in the evening runs on past midnight, as in Stork and in the Core's trigger rules.
    /// </summary>
    private static bool CheckTrigger(DateTimeOffset target, DateTimeOffset? lastTrigger, DateTimeOffset now)
    {
        if (lastTrigger != null && lastTrigger.Value >= target) return false;
        return target <= now && now < target.AddHours(1);
    }

    // ---------------------------------------------------------------- MigrationSchedule

    private void ReconcileMigrationSchedule(Key key)
    {
        var def = Stork("migrationschedules");
        var migDef = Stork("migrations");
        var stored = def == null ? null : _store.Get(def, key.Namespace, key.Name);
        if (def == null || migDef == null || stored == null) return;
        var ns = key.Namespace!;
        var name = key.Name;
        var sched = stored.Parse();

        if (stored.IsDeleting)
        {
            foreach (var t in PolicyTypes)
                foreach (var e in Json.Objects(Json.At(sched, "status", "items", t)))
                    if (Json.Str(e, "name") is { } m && _store.Get(migDef, ns, m) != null) _store.Delete(migDef, ns, m);
            RemoveFinalizer(def, ns, name, StorkFinalizer);
            return;
        }
        if (!((Json.At(sched, "metadata", "finalizers") as JsonArray)?.Any(f => Json.Str(f) == StorkFinalizer) ?? false) || Json.At(sched, "spec", "suspend") == null)
        {
            _store.Mutate(def, ns, name, o =>
            {
                var meta = Json.Obj(o, "metadata");
                if (meta["finalizers"] is not JsonArray f) meta["finalizers"] = f = new JsonArray();
                if (!f.Any(x => Json.Str(x) == StorkFinalizer)) f.Add(StorkFinalizer);
                Json.Obj(o, "spec")["suspend"] ??= false;
                return o;
            }, null);
            return;
        }

        var now = _store.Clock.UtcNow;
        var nowText = SandboxClock.Format(now);
        var items = Json.At(sched, "status", "items") as JsonObject ?? new JsonObject();
        var changed = false;
        foreach (var t in PolicyTypes)
            foreach (var e in Json.Objects(items[t]))
            {
                var st = Json.Str(e, "status") ?? "";
                if (st is not ("" or "Pending" or "InProgress")) continue;
                var migName = Json.Str(e, "name") ?? "";
                var mig = _store.Get(migDef, ns, migName)?.Parse();
                var next = mig == null ? "Failed" : Json.Str(mig, "status", "status") is { Length: > 0 } s ? s : "Pending";
                if (mig == null) _events.Warning(sched, "Failed", $"Error getting status of migration {migName}: {migDef.GroupResource} \"{migName}\" not found", "stork");
                if (next != st) { e["status"] = next; changed = true; }
                if (next is "Successful" or "PartialSuccess" or "Failed")
                {
                    e["finishTimestamp"] = nowText;
                    if (next == "Successful") _events.Normal(sched, "Successful", $"Scheduled migration ({migName}) completed successfully", "stork");
                    else _events.Warning(sched, "Failed", $"Scheduled migration ({migName}) status {next}", "stork");
                }
            }
        if (changed)
        {
            SaveItems(def, ns, name, items);
            return;
        }

        if (Json.Bool(sched, "spec", "suspend") != true && TryTrigger(def, migDef, sched, items, now))
            return;

        foreach (var t in PolicyTypes)
        {
            if (items[t] is not JsonArray list) continue;
            var newestSuccess = -1;
            for (var i = 0; i < list.Count; i++)
                if (Json.Str(list[i], "status") is "Successful" or "PartialSuccess") newestSuccess = i;
            if (newestSuccess <= 0) continue;
            for (var i = 0; i < newestSuccess; i++)
                if (Json.Str(list[i], "name") is { } m && _store.Get(migDef, ns, m) != null) _store.Delete(migDef, ns, m);
            items[t] = new JsonArray(list.Skip(newestSuccess).Select(x => x?.DeepClone()).ToArray());
            changed = true;
        }
        if (changed) SaveItems(def, ns, name, items);
        WakeAt(key, now.AddSeconds(10));
    }

    private void SaveItems(ResourceDef def, string ns, string name, JsonObject items) =>
        UpdateStatus(def, ns, name, o => Json.Obj(o, "status")["items"] = items.DeepClone());

    private bool TryTrigger(ResourceDef def, ResourceDef migDef, JsonObject sched, JsonObject items, DateTimeOffset now)
    {
        var ns = Json.Str(sched, "metadata", "namespace")!;
        var name = Json.Str(sched, "metadata", "name")!;
        var pairName = Json.Str(sched, "spec", "template", "spec", "clusterPair");
        var pairs = Stork("clusterpairs");
        if (pairName == null || pairs == null || _store.Get(pairs, ns, pairName) == null)
        {
            _events.Warning(sched, "Failed", $"Error getting clusterpair ({pairName}): clusterpairs.{StorkGroup} \"{pairName}\" not found", "stork");
            return false;
        }
        if (PolicyTypes.Any(t => Json.Objects(items[t]).Any(e => Json.Str(e, "status") is "" or null or "Pending" or "InProgress")))
            return false;
        var policyName = Json.Str(sched, "spec", "schedulePolicyName") ?? "";
        JsonObject? policy = null;
        if (Stork("namespacedschedulepolicies") is { } nsp && _store.Get(nsp, ns, policyName) is { } np) policy = np.Parse()["policy"] as JsonObject;
        else if (Stork("schedulepolicies") is { } sp && _store.Get(sp, null, policyName) is { } cp) policy = cp.Parse()["policy"] as JsonObject;
        else
        {
            _events.Warning(sched, "Failed", $"Error checking if migration should be triggered: schedulepolicies.{StorkGroup} \"{policyName}\" not found", "stork");
            return false;
        }
        if (ValidatePolicy(policy) is { } invalid)
        {
            _events.Warning(sched, "Failed", $"Error checking if migration should be triggered: {invalid}", "stork");
            return false;
        }
        foreach (var t in PolicyTypes)
        {
            var last = Json.Objects(items[t]).Select(e => ParseTime(Json.Str(e, "creationTimestamp"), DateTimeOffset.MinValue)).DefaultIfEmpty(DateTimeOffset.MinValue).Max();
            if (!TriggerRequired(policy ?? new JsonObject(), t, last == DateTimeOffset.MinValue ? null : last, now)) continue;
            var migName = $"{name}-{t.ToLowerInvariant()}-{now.UtcDateTime.ToString("yyyy-MM-dd-HHmmss", CultureInfo.InvariantCulture)}";
            var list = items[t] as JsonArray ?? new JsonArray();
            list.Add(new JsonObject { ["name"] = migName, ["creationTimestamp"] = SandboxClock.Format(now), ["finishTimestamp"] = null, ["status"] = "Pending" });
            items[t] = list;
            // The entry is saved before the Migration exists, as stork does.
            SaveItems(def, ns, name, items);
            var annotations = Json.At(sched, "metadata", "annotations")?.DeepClone() as JsonObject ?? new JsonObject();
            annotations["stork.libopenstorage.org/migration-schedule-name"] = name;
            var spec = Json.At(sched, "spec", "template", "spec")?.DeepClone() as JsonObject ?? new JsonObject();
            foreach (var f in new[] { "includeVolumes", "includeResources", "skipDeletedNamespaces" }) spec[f] ??= true;
            foreach (var f in new[] { "startApplications", "purgeDeletedResources", "skipServiceUpdate", "includeNetworkPolicyWithCIDR", "ignoreOwnerReferencesCheck" }) spec[f] ??= false;
            try
            {
                _store.Create(migDef, new JsonObject
                {
                    ["apiVersion"] = $"{StorkGroup}/v1alpha1", ["kind"] = "Migration",
                    ["metadata"] = new JsonObject
                    {
                        ["name"] = migName, ["namespace"] = ns, ["annotations"] = annotations,
                        ["ownerReferences"] = new JsonArray(OwnerReference(sched)),
                    },
                    ["spec"] = spec,
                }, ns);
            }
            catch (ApiException e)
            {
                _events.Warning(sched, "Failed", $"Error triggering migration for schedule({t}): {e.Message}", "stork");
            }
            return true;
        }
        return false;
    }

    // ---------------------------------------------------------------- Migration

    private readonly Dictionary<string, DateTimeOffset> _migrationNext = new();

    private void ReconcileMigration(Key key)
    {
        var def = Stork("migrations");
        var stored = def == null ? null : _store.Get(def, key.Namespace, key.Name);
        if (def == null || stored == null || stored.IsDeleting) return;
        var mig = stored.Parse();
        var ns = key.Namespace!;
        var status = Json.Str(mig, "status", "status") ?? "";
        if (status is "Successful" or "PartialSuccess" or "Failed" or "Purged") return;
        if (_migrationNext.TryGetValue(stored.Uid, out var next) && !IsDue(key, next)) return;
        var now = _store.Clock.UtcNow;
        var nowText = SandboxClock.Format(now);
        var stage = Json.Str(mig, "status", "stage") ?? "";
        var failing = Json.Str(mig, "metadata", "annotations", PodController.FailAnnotation) == "true";
        var namespaces = (Json.At(mig, "spec", "namespaces") as JsonArray)?.Select(n => Json.Str(n)).OfType<string>().ToList() ?? [ns];
        var pair = Stork("clusterpairs") is { } cp && Json.Str(mig, "spec", "clusterPair") is { } pn ? _store.Get(cp, ns, pn)?.Parse() : null;
        var withVolumes = Json.Bool(mig, "spec", "includeVolumes") != false && pair?["spec"]?["options"] is JsonObject { Count: > 0 };

        JsonObject newStatus;
        if (status == "")
        {
            newStatus = new JsonObject { ["stage"] = "", ["status"] = "Pending" };
            _events.Normal(mig, "Pending", "Migration pending", "stork");
        }
        else if (stage is "" && withVolumes)
        {
            var volumes = new JsonArray();
            foreach (var n in namespaces)
                foreach (var c in _store.Snapshot(Pvcs, n).Where(c => c.Phase == "Bound"))
                    volumes.Add(new JsonObject
                    {
                        ["persistentVolumeClaim"] = c.Name, ["namespace"] = n, ["volume"] = Json.Str(c.Parse(), "spec", "volumeName"),
                        ["status"] = "InProgress", ["bytesTotal"] = 0, ["reason"] = "Volume migration has started. Backup in progress.",
                    });
            newStatus = StatusWith(mig, "Volumes", "InProgress");
            newStatus["volumes"] = volumes;
        }
        else if (stage is "" or "Volumes")
        {
            newStatus = StatusWith(mig, "Applications", "InProgress");
            foreach (var v in Json.Objects(newStatus["volumes"]))
            {
                var claim = _store.Get(Pvcs, Json.Str(v, "namespace"), Json.Str(v, "persistentVolumeClaim") ?? "")?.Parse();
                v["status"] = "Successful";
                v["reason"] = "Migration successful for volume";
                v["bytesTotal"] = (long)Quantity.Bytes(Json.Str(claim, "status", "capacity", "storage")) / 4;
            }
            if (withVolumes) newStatus["volumeMigrationFinishTimestamp"] = nowText;
            var resources = new JsonArray();
            if (Json.Bool(mig, "spec", "includeResources") != false)
                foreach (var n in namespaces)
                    foreach (var (g, v, kind, plural) in new[] { ("", "v1", "PersistentVolumeClaim", "persistentvolumeclaims"), ("", "v1", "Secret", "secrets"), ("", "v1", "ConfigMap", "configmaps"), ("", "v1", "Service", "services"), ("apps", "v1", "Deployment", "deployments"), ("apps", "v1", "StatefulSet", "statefulsets") })
                        foreach (var o in _store.Snapshot(Def(g, plural), n))
                            resources.Add(new JsonObject
                            {
                                ["name"] = o.Name, ["namespace"] = n, ["group"] = g, ["version"] = v, ["kind"] = kind,
                                ["status"] = "InProgress", ["reason"] = "", ["transformedBy"] = "",
                            });
            newStatus["resources"] = resources;
        }
        else
        {
            newStatus = StatusWith(mig, "Final", failing ? "Failed" : "Successful");
            foreach (var r in Json.Objects(newStatus["resources"]))
            {
                r["status"] = failing ? "Failed" : "Successful";
                r["reason"] = failing ? "Error applying resource: injected by the sandbox" : "Resource migrated successfully";
            }
            newStatus["resourceMigrationFinishTimestamp"] = nowText;
            newStatus["finishTimestamp"] = nowText;
            var created = ParseTime(Json.Str(mig, "metadata", "creationTimestamp"), now);
            var volFinish = ParseTime(Json.Str(newStatus, "volumeMigrationFinishTimestamp"), created);
            var vols = Json.Objects(newStatus["volumes"]).ToList();
            var res = Json.Objects(newStatus["resources"]).ToList();
            newStatus["summary"] = new JsonObject
            {
                ["totalNumberOfVolumes"] = vols.Count,
                ["numOfMigratedVolumes"] = vols.Count(v => Json.Str(v, "status") == "Successful"),
                ["totalNumberOfResources"] = res.Count,
                ["numOfMigratedResources"] = res.Count(r => Json.Str(r, "status") == "Successful"),
                ["totalBytesMigrated"] = vols.Sum(v => Json.Long(v, "bytesTotal") ?? 0),
                ["elapsedTimeForVolumeMigration"] = GoDuration(volFinish - created),
                ["elapsedTimeForResourceMigration"] = GoDuration(now - volFinish),
            };
            if (failing) _events.Warning(mig, "Failed", "Error migrating resources: injected by the sandbox", "stork");
            else _events.Normal(mig, "Successful", "Application resources migrated successfully", "stork");
        }
        UpdateStatus(def, ns, key.Name, o => o["status"] = newStatus);
        _migrationNext[stored.Uid] = now + _options.ReadyDelay;
        WakeAt(key, now + _options.ReadyDelay);
    }

    /// <summary>Go's time.Duration.String() ("1m30s", "250ms", "0s").</summary>
    internal static string GoDuration(TimeSpan d)
    {
        if (d <= TimeSpan.Zero) return "0s";
        if (d < TimeSpan.FromSeconds(1)) return $"{d.TotalMilliseconds.ToString("0.######", CultureInfo.InvariantCulture)}ms";
        var sb = new System.Text.StringBuilder();
        var hours = (long)d.TotalHours;
        if (hours > 0) sb.Append(hours).Append('h');
        if (hours > 0 || d.Minutes > 0) sb.Append(d.Minutes).Append('m');
        var seconds = d.Seconds + d.Milliseconds / 1000.0;
        sb.Append(seconds.ToString("0.###", CultureInfo.InvariantCulture)).Append('s');
        return sb.ToString();
    }

    private static JsonObject StatusWith(JsonObject mig, string stage, string status)
    {
        var st = Json.At(mig, "status")?.DeepClone() as JsonObject ?? new JsonObject();
        st["stage"] = stage;
        st["status"] = status;
        return st;
    }
}
