using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using ClusterOps.Sandbox.Server;

namespace ClusterOps.Sandbox.Controllers;

/// <summary>
/// The simulated kube-controller-manager, scheduler and kubelet: one loop reconciling queued keys, so controller
/// writes never race each other. Time-based steps (pod readiness, job completion) wait on the sandbox clock: a real
/// timer wakes them, and advancing the clock wakes them early.
/// </summary>
internal sealed partial class ControllerManager : IAsyncDisposable
{
    internal readonly record struct Key(string StoreId, string? Namespace, string Name);

    private readonly ObjectStore _store;
    private readonly SandboxOptions _options;
    private readonly Channel<Key> _queue = Channel.CreateUnbounded<Key>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<Key, byte> _pending = new();
    private readonly ConcurrentDictionary<Key, DateTimeOffset> _due = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly EventRecorder _events;
    private Task? _loop;
    private int _busy;

    public ControllerManager(ObjectStore store, SandboxOptions options)
    {
        _store = store;
        _options = options;
        _events = new EventRecorder(store);
        store.ProtectVolumes = true;
        store.Observer = OnChange;
        store.Clock.Advanced += () =>
        {
            foreach (var k in _due.Keys) Enqueue(k);
        };
    }

    private ResourceDef Def(string group, string plural) => _store.Registry.Find(group, "v1", plural)!;
    private ResourceDef Pods => Def("", "pods");
    private ResourceDef Pvcs => Def("", "persistentvolumeclaims");
    private ResourceDef Pvs => Def("", "persistentvolumes");
    private ResourceDef StatefulSets => Def("apps", "statefulsets");
    private ResourceDef Deployments => Def("apps", "deployments");
    private ResourceDef Jobs => Def("batch", "jobs");
    private ResourceDef StorageClasses => Def("storage.k8s.io", "storageclasses");

    public void Start() => _loop = Task.Run(RunAsync);

    /// <summary>True when nothing is queued or being reconciled (timers may still be pending).</summary>
    public bool IsIdle => _pending.IsEmpty && Volatile.Read(ref _busy) == 0;

    private void OnChange(ResourceDef def, WatchEvent ev)
    {
        var o = ev.Object;
        var key = new Key(o.StoreId, o.Namespace, o.Name);
        switch (o.StoreId)
        {
            case "pods":
                Enqueue(key);
                foreach (var owner in Owners(ev)) Enqueue(owner);
                if (ev.Type == "DELETED" && o.Namespace != null) EnqueueTerminatingClaims(o.Namespace);
                if (ev.Type == "ADDED" && o.Namespace != null)
                    foreach (var v in Json.Objects(Json.At(o.Parse(), "spec", "volumes")))
                        if (Json.Str(v, "persistentVolumeClaim", "claimName") is { } claim) Enqueue(new Key("persistentvolumeclaims", o.Namespace, claim));
                break;
            case "jobs.batch" or "deployments.apps":
                Enqueue(key);
                foreach (var owner in Owners(ev)) Enqueue(owner);
                // The 3scale operator reports deployment readiness in the APIManager's status.
                if (o.StoreId == "deployments.apps" && o.Namespace != null && ThreeScale("apimanagers") is { } am)
                    foreach (var m in _store.Snapshot(am, o.Namespace)) Enqueue(new Key(am.StoreId, o.Namespace, m.Name));
                break;
            case "statefulsets.apps" or "persistentvolumeclaims" or "persistentvolumes":
                if (ev.Type == "DELETED" && o.StoreId == "persistentvolumeclaims")
                {
                    if (Json.Str(o.Parse(), "spec", "volumeName") is { Length: > 0 } volume) Enqueue(new Key("released-claim", o.Uid, volume));
                }
                else Enqueue(key);
                break;
            case "storageclasses.storage.k8s.io":
                Enqueue(new Key("storageclass", null, o.Name));
                break;
            case "apimanagers.apps.3scale.net" or "apimanagerbackups.apps.3scale.net" or "apimanagerrestores.apps.3scale.net"
                or "migrationschedules.stork.libopenstorage.org":
                if (ev.Type != "DELETED") Enqueue(key);
                break;
            case "migrations.stork.libopenstorage.org":
                if (ev.Type != "DELETED") Enqueue(key);
                foreach (var owner in Owners(ev)) Enqueue(owner);
                break;
        }
    }

    private IEnumerable<Key> Owners(WatchEvent ev)
    {
        var json = ev.Object.Parse();
        foreach (var r in Json.Objects(Json.At(json, "metadata", "ownerReferences")))
        {
            var kind = Json.Str(r, "kind");
            var storeId = kind switch
            {
                "StatefulSet" => "statefulsets.apps", "Deployment" => "deployments.apps", "Job" => "jobs.batch",
                "APIManager" => "apimanagers.apps.3scale.net", "APIManagerBackup" => "apimanagerbackups.apps.3scale.net",
                "APIManagerRestore" => "apimanagerrestores.apps.3scale.net", "MigrationSchedule" => "migrationschedules.stork.libopenstorage.org",
                _ => null,
            };
            if (storeId != null) yield return new Key(storeId, ev.Object.Namespace, Json.Str(r, "name") ?? "");
        }
    }

    internal void Enqueue(Key key)
    {
        if (_pending.TryAdd(key, 0)) _queue.Writer.TryWrite(key);
    }

    /// <summary>Reconcile the key again once the sandbox clock reaches <paramref name="at"/>.</summary>
    private void WakeAt(Key key, DateTimeOffset at)
    {
        _due[key] = at;
        var delay = at - _store.Clock.UtcNow;
        if (delay <= TimeSpan.Zero)
        {
            Enqueue(key);
            return;
        }
        _ = Task.Delay(delay, _stop.Token).ContinueWith(t =>
        {
            if (!t.IsCanceled) Enqueue(key);
        }, TaskScheduler.Default);
    }

    private bool IsDue(Key key, DateTimeOffset at)
    {
        if (_store.Clock.UtcNow >= at)
        {
            _due.TryRemove(key, out _);
            return true;
        }
        WakeAt(key, at);
        return false;
    }

    private async Task RunAsync()
    {
        var reader = _queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync(_stop.Token))
            {
                while (reader.TryRead(out var key))
                {
                    Interlocked.Increment(ref _busy);
                    _pending.TryRemove(key, out _);
                    try
                    {
                        Reconcile(key);
                    }
                    catch (ApiException)
                    {
                        // A conflict or a vanished object: the change that caused it queues the key again.
                    }
                    catch (Exception e) when (e is InvalidOperationException or KeyNotFoundException or FormatException)
                    {
                        Console.Error.WriteLine($"sandbox controller error on {key}: {e.Message}");
                    }
                    finally
                    {
                        Interlocked.Decrement(ref _busy);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Reconcile(Key key)
    {
        switch (key.StoreId)
        {
            case "pods": ReconcilePod(key); break;
            case "statefulsets.apps": ReconcileStatefulSet(key); break;
            case "deployments.apps": ReconcileDeployment(key); break;
            case "jobs.batch": ReconcileJob(key); break;
            case "persistentvolumeclaims": ReconcileClaim(key); break;
            case "persistentvolumes": ReconcileVolume(key); break;
            case "apimanagers.apps.3scale.net": ReconcileApiManager(key); break;
            case "migrationschedules.stork.libopenstorage.org": ReconcileMigrationSchedule(key); break;
            case "migrations.stork.libopenstorage.org": ReconcileMigration(key); break;
            case "apimanagerbackups.apps.3scale.net": ReconcileBackup(key); break;
            case "apimanagerrestores.apps.3scale.net": ReconcileRestore(key); break;
            case "released-claim": ReleaseVolumeOf(key.Name, key.Namespace!); break;
            case "storageclass":
                foreach (var c in _store.Snapshot(Pvcs, null).Where(c => c.Phase == "Pending"))
                    Enqueue(new Key("persistentvolumeclaims", c.Namespace, c.Name));
                break;
        }
    }

    /// <summary>Waits until the controllers have nothing queued (bounded), e.g. after seeding a scenario.</summary>
    public async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (IsIdle && condition()) return;
            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _queue.Writer.TryComplete();
        if (_loop != null)
        {
            try { await _loop; } catch (OperationCanceledException) { }
        }
        _stop.Dispose();
    }

    // ---------------------------------------------------------------- helpers

    private static JsonObject OwnerReference(JsonObject owner) => new()
    {
        ["apiVersion"] = Json.Str(owner, "apiVersion"),
        ["kind"] = Json.Str(owner, "kind"),
        ["name"] = Json.Str(owner, "metadata", "name"),
        ["uid"] = Json.Str(owner, "metadata", "uid"),
        ["controller"] = true,
        ["blockOwnerDeletion"] = true,
    };

    private static bool OwnedBy(StoredObject o, string uid) => o.OwnerUids.Contains(uid);

    private static DateTimeOffset ParseTime(string? s, DateTimeOffset fallback) =>
        s != null && DateTimeOffset.TryParse(s, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var t) ? t : fallback;

    private void UpdateStatus(ResourceDef def, string? ns, string name, Action<JsonObject> change)
    {
        _store.Mutate(def, ns, name, o =>
        {
            change(o);
            return o;
        }, def.HasStatus ? "status" : null);
    }
}
