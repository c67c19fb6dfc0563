using System.Text;
using System.Text.Json.Nodes;
using ClusterOps.Sandbox.Scenarios;
using ClusterOps.Sandbox.Server;

namespace ClusterOps.Sandbox.Controllers;

/// <summary>
/// The 3scale operator's APIManager, APIManagerBackup and APIManagerRestore reconcilers (seed-semantics §2.2, §2.3):
/// one Job per step, status fields written in the operator's order, and a failing Job leaving the CR waiting with no
/// condition or event, as the real operator does. What a backup Job "copies" is kept as the backup PVC's content.
/// </summary>
internal sealed partial class ControllerManager
{
    public const string ThreeScaleGroup = "apps.3scale.net";
    private const string OcImage = "quay.io/openshift/origin-cli:4.7";

    private static readonly string[] RestoredSecrets =
        ["backend-internal-api", "backend-listener", "system-app", "system-events-hook", "system-master-apicast", "system-recaptcha", "system-seed", "system-smtp", "zync"];

    /// <summary>What each backup PVC holds, keyed by namespace/name/uid of the claim.</summary>
    private readonly Dictionary<string, JsonObject> _volumeContent = new();

    private ResourceDef? ThreeScale(string plural) => _store.Registry.Find(ThreeScaleGroup, "v1alpha1", plural);

    private string ClaimKey(string ns, string name) => _store.Get(Pvcs, ns, name) is { } c ? $"{ns}/{name}/{c.Uid}" : "";

    private static string? St(JsonObject o, string field) => Json.Str(o, "status", field);

    private void SetStatus(ResourceDef def, string ns, string name, string field, JsonNode? value) =>
        UpdateStatus(def, ns, name, o => Json.Obj(o, "status")[field] = value);

    private bool EnsureCreated(ResourceDef def, string? ns, JsonObject obj)
    {
        if (_store.Get(def, ns, Json.Str(obj, "metadata", "name")!) != null) return false;
        _store.Create(def, obj, ns);
        return true;
    }

    private void EnsureRbac(string ns, string name, JsonArray rules)
    {
        var meta = () => new JsonObject { ["name"] = name, ["namespace"] = ns };
        EnsureCreated(Def("", "serviceaccounts"), ns, new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ServiceAccount", ["metadata"] = meta() });
        EnsureCreated(Def("rbac.authorization.k8s.io", "roles"), ns, new JsonObject { ["apiVersion"] = "rbac.authorization.k8s.io/v1", ["kind"] = "Role", ["metadata"] = meta(), ["rules"] = rules });
        EnsureCreated(Def("rbac.authorization.k8s.io", "rolebindings"), ns, new JsonObject
        {
            ["apiVersion"] = "rbac.authorization.k8s.io/v1", ["kind"] = "RoleBinding", ["metadata"] = meta(),
            ["roleRef"] = new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "Role", ["name"] = name },
            ["subjects"] = new JsonArray(new JsonObject { ["kind"] = "ServiceAccount", ["name"] = name, ["namespace"] = ns }),
        });
    }

    private static JsonObject Rule(string[] resources, string[] verbs, string group = "") => new()
    {
        ["apiGroups"] = new JsonArray((JsonNode)group),
        ["resources"] = new JsonArray(resources.Select(r => (JsonNode)r).ToArray()),
        ["verbs"] = new JsonArray(verbs.Select(v => (JsonNode)v).ToArray()),
    };

    /// <summary>
    /// Test hook: Jobs whose name starts with the prefix in sandbox.clusterops.io/fail-job fail. It is read from the CR,
    /// else from the namespace's APIManager, so a test can arrange a failure before a cmdlet creates the CR.
    /// </summary>
    private string? FailJobPrefix(JsonObject cr, string ns)
    {
        const string key = "sandbox.clusterops.io/fail-job";
        if (Json.Str(cr, "metadata", "annotations", key) is { } own)
            return own;
        return ThreeScale("apimanagers") is { } am
            ? _store.Snapshot(am, ns).Select(o => Json.Str(o.Parse(), "metadata", "annotations", key)).FirstOrDefault(v => v != null)
            : null;
    }

    /// <summary>Creates the step's Job if missing; returns true once it has succeeded (a failed Job never does).</summary>
    /// <param name="unschedulable">The scheduler's message when the Job's pod cannot be placed (a claim it mounts is
    /// missing): the pod stays Pending and the Job never finishes, as in a real cluster.</param>
    private bool JobStep(JsonObject cr, string jobName, string serviceAccount, string script, JsonArray volumes, JsonArray mounts, bool fail = false, string? unschedulable = null)
    {
        var ns = Json.Str(cr, "metadata", "namespace")!;
        var existing = _store.Get(Jobs, ns, jobName);
        if (existing == null)
        {
            var ann = new JsonObject();
            if (fail || FailJobPrefix(cr, ns) is { } f && jobName.StartsWith(f, StringComparison.Ordinal))
                ann[PodController.FailAnnotation] = "true";
            var podAnnotations = new JsonObject();
            if (unschedulable != null)
            {
                ann[DurationAnnotation] = "720h"; // the Job controller finishes Jobs by duration; 30 days is "never" here and fits a timer
                podAnnotations[PodController.FailAnnotation] = "Unschedulable";
                podAnnotations[PodController.UnschedulableMessageAnnotation] = unschedulable;
            }
            _store.Create(Jobs, new JsonObject
            {
                ["apiVersion"] = "batch/v1", ["kind"] = "Job",
                ["metadata"] = new JsonObject
                {
                    ["name"] = jobName, ["namespace"] = ns, ["annotations"] = ann,
                    ["labels"] = new JsonObject { ["app"] = "3scale-api-management" },
                    ["ownerReferences"] = new JsonArray(OwnerReference(cr)),
                },
                ["spec"] = new JsonObject
                {
                    ["completions"] = 1,
                    ["template"] = new JsonObject
                    {
                        ["metadata"] = new JsonObject { ["annotations"] = podAnnotations },
                        ["spec"] = new JsonObject
                        {
                            ["serviceAccountName"] = serviceAccount,
                            ["restartPolicy"] = "Never",
                            ["containers"] = new JsonArray(new JsonObject
                            {
                                ["name"] = "job", ["image"] = OcImage, ["command"] = new JsonArray("/bin/bash", "-c", "-e", script), ["volumeMounts"] = mounts,
                            }),
                            ["volumes"] = volumes,
                        },
                    },
                },
            }, ns);
            return false;
        }
        return Json.Long(existing.Parse(), "status", "succeeded") == 1;
    }

    private static JsonArray ClaimVolume(string volume, string claim, bool readOnly = false) =>
        new(new JsonObject { ["name"] = volume, ["persistentVolumeClaim"] = new JsonObject { ["claimName"] = claim, ["readOnly"] = readOnly } });

    private static JsonObject Mount(string volume, string path, bool readOnly = false) => new() { ["name"] = volume, ["mountPath"] = path, ["readOnly"] = readOnly };

    /// <summary>The backup Job's python cleanup: no status, no server-set metadata.</summary>
    private static JsonObject Cleaned(JsonObject o)
    {
        o.Remove("status");
        if (o["metadata"] is JsonObject m)
            foreach (var f in new[] { "ownerReferences", "selfLink", "uid", "resourceVersion", "creationTimestamp", "namespace", "clusterName", "generation" })
                m.Remove(f);
        return o;
    }

    /// <summary>Deletes the CR's Jobs in the foreground; true once none is left.</summary>
    private bool DeleteJobs(JsonObject cr)
    {
        var ns = Json.Str(cr, "metadata", "namespace")!;
        var uid = Json.Str(cr, "metadata", "uid")!;
        var left = false;
        foreach (var j in _store.Snapshot(Jobs, ns).Where(j => OwnedBy(j, uid)))
        {
            _store.Delete(Jobs, ns, j.Name, "Foreground");
            left |= _store.Get(Jobs, ns, j.Name) != null;
        }
        return !left;
    }

    private void EnqueueThreeScale(string ns)
    {
        foreach (var plural in new[] { "apimanagerbackups", "apimanagerrestores" })
            if (ThreeScale(plural) is { } d)
                foreach (var o in _store.Snapshot(d, ns)) Enqueue(new Key(d.StoreId, ns, o.Name));
    }

    /// <summary>System's FileStorage is S3 (current or deprecated field); without either it is the system-storage claim.</summary>
    private static bool UsesS3FileStorage(JsonObject apiManager) =>
        Json.At(apiManager, "spec", "system", "fileStorage", "simpleStorageService") is JsonObject
        || Json.At(apiManager, "spec", "system", "fileStorage", "amazonSimpleStorageService") is JsonObject;

    // ---------------------------------------------------------------- APIManager

    private void ReconcileApiManager(Key key)
    {
        var def = ThreeScale("apimanagers");
        var stored = def == null ? null : _store.Get(def, key.Namespace, key.Name);
        if (def == null || stored == null || stored.IsDeleting) return;
        var am = stored.Parse();
        var ns = key.Namespace!;
        foreach (var d in ThreeScaleScenario.DeploymentNames)
        {
            if (_store.Get(Deployments, ns, d) != null) continue;
            var labels = new JsonObject { ["deployment"] = d, ["app"] = "3scale-api-management" };
            var template = Scenarios.Seed.PodTemplate(labels.DeepClone().AsObject(), d, $"registry.redhat.io/3scale-amp2/{d.Split('-')[0]}-rhel8:3scale2.15");
            _store.Create(Deployments, new JsonObject
            {
                ["apiVersion"] = "apps/v1", ["kind"] = "Deployment",
                ["metadata"] = new JsonObject { ["name"] = d, ["namespace"] = ns, ["labels"] = labels, ["ownerReferences"] = new JsonArray(OwnerReference(am)) },
                ["spec"] = new JsonObject { ["replicas"] = 1, ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["deployment"] = d } }, ["template"] = template },
            }, ns);
        }
        var ready = new JsonArray();
        var starting = new JsonArray();
        foreach (var d in ThreeScaleScenario.DeploymentNames.Order(StringComparer.Ordinal))
        {
            var dep = _store.Get(Deployments, ns, d)?.Parse();
            var ok = dep != null && (Json.Long(dep, "status", "readyReplicas") ?? 0) >= (Json.Long(dep, "spec", "replicas") ?? 1);
            (ok ? ready : starting).Add(d);
        }
        var available = starting.Count == 0;
        var prev = Json.Objects(Json.At(am, "status", "conditions")).FirstOrDefault(c => Json.Str(c, "type") == "Available");
        var transition = prev != null && Json.Str(prev, "status") == (available ? "True" : "False") ? Json.Str(prev, "lastTransitionTime") : _store.Clock.Timestamp();
        UpdateStatus(def, ns, key.Name, o => o["status"] = new JsonObject
        {
            ["conditions"] = new JsonArray(new JsonObject
            {
                ["type"] = "Available", ["status"] = available ? "True" : "False", ["lastTransitionTime"] = transition,
                ["reason"] = available ? "" : "DeploymentsNotReady", ["message"] = available ? "" : "Some deployments are not ready",
            }),
            ["deployments"] = new JsonObject { ["ready"] = ready, ["starting"] = starting, ["stopped"] = new JsonArray() },
        });
        EnqueueThreeScale(ns);
    }

    // ---------------------------------------------------------------- backup

    private void ReconcileBackup(Key key)
    {
        var def = ThreeScale("apimanagerbackups");
        var amDef = ThreeScale("apimanagers");
        var stored = def == null ? null : _store.Get(def, key.Namespace, key.Name);
        if (def == null || amDef == null || stored == null || stored.IsDeleting) return;
        var cr = stored.Parse();
        var ns = key.Namespace!;
        var name = key.Name;
        if (Json.Bool(cr, "status", "completed") == true) return;
        var managers = _store.Snapshot(amDef, ns);
        if (managers.Count != 1) return; // the operator logs "no APIManagers found" / "multiple APIManagers found" and requeues
        var am = managers[0].Parse();

        if (St(cr, "apiManagerSourceName") == null) { SetStatus(def, ns, name, "apiManagerSourceName", managers[0].Name); return; }
        if (St(cr, "startTime") == null) { SetStatus(def, ns, name, "startTime", _store.Clock.Timestamp()); return; }

        var pvcSpec = Json.At(cr, "spec", "backupDestination", "persistentVolumeClaim") as JsonObject;
        if (pvcSpec == null) return; // "at least one backup destination has to be specified"
        if (_store.Get(Pvcs, ns, name) == null)
        {
            var spec = new JsonObject { ["accessModes"] = new JsonArray("ReadWriteOnce") };
            // The CRD's resources.requests is a single Quantity (PersistentVolumeClaimResourcesSpec), not a resource map.
            if (Json.Str(pvcSpec, "resources", "requests") is { } size)
                spec["resources"] = new JsonObject { ["requests"] = new JsonObject { ["storage"] = size } };
            if (Json.Str(pvcSpec, "volumeName") is { } vn) spec["volumeName"] = vn;
            if (Json.Str(pvcSpec, "storageClass") is { } sc) spec["storageClassName"] = sc;
            _store.Create(Pvcs, new JsonObject
            {
                ["apiVersion"] = "v1", ["kind"] = "PersistentVolumeClaim",
                ["metadata"] = new JsonObject
                {
                    ["name"] = name, ["namespace"] = ns,
                    ["annotations"] = new JsonObject
                    {
                        ["apiManagerName"] = managers[0].Name, ["apiManagerUID"] = managers[0].Uid,
                        ["apiManagerBackupName"] = name, ["apiManagerBackupUID"] = stored.Uid,
                    },
                },
                ["spec"] = spec,
            }, ns);
        }
        if (St(cr, "backupPersistentVolumeClaimName") == null) { SetStatus(def, ns, name, "backupPersistentVolumeClaimName", name); return; }

        EnsureRbac(ns, "apimanager-backup", new JsonArray(
            Rule(["secrets", "configmaps"], ["get", "list"]), Rule(["apimanagers"], ["get", "list"], ThreeScaleGroup)));

        var uid = stored.Uid;
        var backupVolume = ClaimVolume("backup-volume", name);
        var contentKey = ClaimKey(ns, name);
        if (Json.Bool(cr, "status", "mainStepsCompleted") != true)
        {
            var secrets = ThreeScaleScenario.BackupSecrets.Order(StringComparer.Ordinal).ToList();
            var missing = secrets.Any(s => _store.Get(Def("", "secrets"), ns, s) == null) || ThreeScaleScenario.ConfigMaps.Any(c => _store.Get(Def("", "configmaps"), ns, c) == null);
            var script = string.Join("\n", secrets.Select(s => $"oc get secret {s} -o json | python3 /scripts/cleanup.py > /backup/secrets/{s}.json")
                .Concat(ThreeScaleScenario.ConfigMaps.Select(c => $"oc get configmap {c} -o json | python3 /scripts/cleanup.py > /backup/configmaps/{c}.json")));
            if (!JobStep(cr, $"backup-cfgmaps-secrets-{uid}", "apimanager-backup", script, backupVolume.DeepClone().AsArray(), new JsonArray(Mount("backup-volume", "/backup")), fail: missing))
                return;
            var content = _volumeContent.TryGetValue(contentKey, out var c0) ? c0 : _volumeContent[contentKey] = new JsonObject();
            if (content["secrets"] == null)
            {
                var s = new JsonObject();
                foreach (var n in secrets) s[n] = Cleaned(_store.Get(Def("", "secrets"), ns, n)!.Parse());
                var c = new JsonObject();
                foreach (var n in ThreeScaleScenario.ConfigMaps) c[n] = Cleaned(_store.Get(Def("", "configmaps"), ns, n)!.Parse());
                content["secrets"] = s;
                content["configmaps"] = c;
            }
            if (!JobStep(cr, $"backup-apimanager-cr-{uid}", "apimanager-backup",
                    $"oc get apimanager {managers[0].Name} -o json | python3 /scripts/cleanup.py > /backup/apimanager/apimanager-backup.json",
                    backupVolume.DeepClone().AsArray(), new JsonArray(Mount("backup-volume", "/backup"))))
                return;
            content["apimanager"] ??= Cleaned(am.DeepClone().AsObject());
            // The operator creates this Job for every backup (the default FileStorage is the system-storage claim), so
            // with S3 storage, or a claim that is missing or RWO and attached elsewhere, its pod never starts.
            if (!UsesS3FileStorage(am))
            {
                var volumes = backupVolume.DeepClone().AsArray();
                volumes.Add(ClaimVolume("system-storage", "system-storage", readOnly: true)[0]!.DeepClone());
                if (!JobStep(cr, $"backup-system-fs-pvc-{uid}", "apimanager-backup", "rsync -av /system-filestorage-pvc/ /backup/system-filestorage-pvc",
                        volumes, new JsonArray(Mount("backup-volume", "/backup"), Mount("system-storage", "/system-filestorage-pvc", readOnly: true)),
                        unschedulable: _store.Get(Pvcs, ns, "system-storage") == null
                            ? "0/1 nodes are available: persistentvolumeclaim \"system-storage\" not found. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling."
                            : null))
                    return;
                content["systemFileStorage"] = true;
            }
            SetStatus(def, ns, name, "mainStepsCompleted", true);
            return;
        }
        if (!DeleteJobs(cr)) return;
        var now = _store.Clock.Timestamp();
        UpdateStatus(def, ns, name, o =>
        {
            var st = Json.Obj(o, "status");
            st["completed"] = true;
            st["completionTime"] = now;
        });
    }

    // ---------------------------------------------------------------- restore

    private void ReconcileRestore(Key key)
    {
        var def = ThreeScale("apimanagerrestores");
        var amDef = ThreeScale("apimanagers");
        var stored = def == null ? null : _store.Get(def, key.Namespace, key.Name);
        if (def == null || amDef == null || stored == null || stored.IsDeleting) return;
        var cr = stored.Parse();
        var ns = key.Namespace!;
        var name = key.Name;
        var uid = stored.Uid;
        if (Json.Bool(cr, "status", "completed") == true) return;
        if (St(cr, "startTime") == null) { SetStatus(def, ns, name, "startTime", _store.Clock.Timestamp()); return; }

        EnsureRbac(ns, "apimanager-restore", new JsonArray(
            Rule(["secrets", "configmaps", "pods"], ["create", "delete", "get", "list", "patch", "update", "watch"]), Rule(["pods/exec"], ["create"])));
        var claim = Json.Str(cr, "spec", "restoreSource", "persistentVolumeClaim", "claimSource", "claimName");
        if (claim == null) return;
        var content = _volumeContent.GetValueOrDefault(ClaimKey(ns, claim));
        var source = ClaimVolume("backup-volume", claim, readOnly: true);
        var serialized = $"{name}-serialized-apimanager";
        var secretsDef = Def("", "secrets");

        if (Json.Bool(cr, "status", "mainStepsCompleted") != true)
        {
            var script = string.Join("\n", RestoredSecrets.Select(s => $"oc get secret {s} || oc create -f /backup/secrets/{s}.json")
                .Concat(ThreeScaleScenario.ConfigMaps.Select(c => $"oc get configmap {c} || oc create -f /backup/configmaps/{c}.json")));
            if (!JobStep(cr, $"restore-cfgmaps-secrets-{uid}", "apimanager-restore", script, source.DeepClone().AsArray(),
                    new JsonArray(Mount("backup-volume", "/backup", readOnly: true)), fail: content?["secrets"] == null))
                return;
            foreach (var s in RestoredSecrets)
                if (content!["secrets"]?[s] is JsonObject savedSecret && _store.Get(secretsDef, ns, s) == null)
                    _store.Create(secretsDef, (JsonObject)savedSecret.DeepClone(), ns);
            foreach (var c in ThreeScaleScenario.ConfigMaps)
                if (content!["configmaps"]?[c] is JsonObject savedMap && _store.Get(Def("", "configmaps"), ns, c) == null)
                    _store.Create(Def("", "configmaps"), (JsonObject)savedMap.DeepClone(), ns);

            if (!JobStep(cr, $"restore-apm-tosecret-{uid}", "apimanager-restore",
                    $"oc create secret generic {serialized} --from-file=/backup/apimanager/apimanager-backup.json", source.DeepClone().AsArray(),
                    new JsonArray(Mount("backup-volume", "/backup", readOnly: true)), fail: content?["apimanager"] == null))
                return;
            var saved = (JsonObject)content!["apimanager"]!.DeepClone();
            if (_store.Get(secretsDef, ns, serialized) == null)
                _store.Create(secretsDef, new JsonObject
                {
                    ["apiVersion"] = "v1", ["kind"] = "Secret", ["metadata"] = new JsonObject { ["name"] = serialized, ["namespace"] = ns },
                    ["type"] = "Opaque",
                    ["data"] = new JsonObject { ["apimanager-backup.json"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(saved.ToJsonString())) },
                }, ns);
            var amName = Json.Str(saved, "metadata", "name")!;
            if (Json.Str(cr, "status", "apiManagerToRestoreRef", "name") == null)
            {
                SetStatus(def, ns, name, "apiManagerToRestoreRef", new JsonObject { ["name"] = amName });
                return;
            }

            if (!UsesS3FileStorage(saved))
            {
                var fs = Json.At(saved, "spec", "system", "fileStorage", "persistentVolumeClaim") as JsonObject;
                if (_store.Get(Pvcs, ns, "system-storage") == null)
                {
                    var spec = new JsonObject
                    {
                        ["accessModes"] = new JsonArray("ReadWriteMany"),
                        ["resources"] = new JsonObject { ["requests"] = new JsonObject { ["storage"] = "100Mi" } },
                    };
                    if (fs != null && Json.Str(fs, "storageClassName") is { } sc) spec["storageClassName"] = sc;
                    _store.Create(Pvcs, new JsonObject
                    {
                        ["apiVersion"] = "v1", ["kind"] = "PersistentVolumeClaim",
                        ["metadata"] = new JsonObject { ["name"] = "system-storage", ["namespace"] = ns }, ["spec"] = spec,
                    }, ns);
                }
                var volumes = source.DeepClone().AsArray();
                volumes.Add(ClaimVolume("system-storage", "system-storage")[0]!.DeepClone());
                if (!JobStep(cr, $"restore-system-fs-{uid}", "apimanager-restore", "rsync -rlv /backup/system-filestorage-pvc/* /system-filestorage-pvc/",
                        volumes, new JsonArray(Mount("backup-volume", "/backup", readOnly: true), Mount("system-storage", "/system-filestorage-pvc")),
                        fail: content["systemFileStorage"] == null))
                    return;
            }

            if (_store.Get(amDef, ns, amName) == null)
            {
                var am = (JsonObject)saved.DeepClone();
                Json.Obj(am, "metadata")["namespace"] = ns;
                _store.Create(amDef, am, ns);
                return;
            }
            var current = _store.Get(amDef, ns, amName)!.Parse();
            if (!((Json.At(current, "status", "deployments", "ready") as JsonArray)?.Any(x => Json.Str(x) == "system-sidekiq") ?? false)) return;
            if (!JobStep(cr, $"resync-domains-{uid}", "apimanager-restore",
                    "oc exec $(oc get pods -l deployment=system-sidekiq -o name | head -n 1) -- bash -c 'bundle exec rake zync:resync:domains'",
                    new JsonArray(), new JsonArray()))
                return;
            if (Json.Objects(Json.At(current, "status", "conditions")).Any(c => Json.Str(c, "type") == "Available" && Json.Str(c, "status") == "False")) return;
            if (_store.Get(secretsDef, ns, serialized) != null) _store.Delete(secretsDef, ns, serialized);
            SetStatus(def, ns, name, "mainStepsCompleted", true);
            return;
        }
        if (!DeleteJobs(cr)) return;
        var now = _store.Clock.Timestamp();
        UpdateStatus(def, ns, name, o =>
        {
            var st = Json.Obj(o, "status");
            st["completed"] = true;
            st["completionTime"] = now;
        });
    }
}
