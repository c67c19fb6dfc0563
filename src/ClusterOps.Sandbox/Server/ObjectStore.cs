using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace ClusterOps.Sandbox.Server;

/// <summary>
/// The whole cluster state: one bucket of versions per group resource, one global resourceVersion, a bounded event
/// history for watches, and indexes for ownerReference garbage collection. One lock guards all of it: every write is
/// short, and a single order of events is exactly what resourceVersion promises.
/// </summary>
internal sealed class ObjectStore
{
    private sealed class Bucket
    {
        public readonly Dictionary<string, StoredObject> Items = new(StringComparer.Ordinal);
        public readonly List<string> Keys = new();

        public int LowerBound(string key)
        {
            var i = Keys.BinarySearch(key, StringComparer.Ordinal);
            return i < 0 ? ~i : i;
        }

        public int UpperBound(string key)
        {
            var i = Keys.BinarySearch(key, StringComparer.Ordinal);
            return i < 0 ? ~i : i + 1;
        }

        public (int Lo, int Hi) Range(string? ns) =>
            ns == null ? (0, Keys.Count) : (LowerBound(ns + "/"), LowerBound(ns + "0"));
    }

    private readonly object _gate = new();
    private readonly Dictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string StoreId, string Key)> _byUid = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<(string StoreId, string Key)>> _dependents = new(StringComparer.Ordinal);
    private readonly List<WatchEvent> _history = new();
    private readonly List<Watcher> _watchers = new();
    private readonly int _historyLimit;
    private long _rv;
    private long _historyFloor;
    private long _compactedRv;
    private int _nextServiceIp = 10;

    public ObjectStore(ResourceRegistry registry, SandboxClock clock, int historyLimit)
    {
        Registry = registry;
        Clock = clock;
        _historyLimit = Math.Max(100, historyLimit);
    }

    public ResourceRegistry Registry { get; }

    /// <summary>Whether PVCs and PVs get their protection finalizers (only when controllers run to remove them).</summary>
    public bool ProtectVolumes { get; set; }
    public SandboxClock Clock { get; }

    /// <summary>Called under the lock for every committed change; must only enqueue.</summary>
    public Action<ResourceDef, WatchEvent>? Observer { get; set; }

    public long CurrentResourceVersion { get { lock (_gate) return _rv; } }

    public ResourceDef Def(string storeId) =>
        Registry.All.FirstOrDefault(d => d.StoreId == storeId && !d.Virtual)
        ?? throw new InvalidOperationException($"no served resource for {storeId}");

    public ResourceDef NamespaceDef => Registry.Find("", "v1", "namespaces")!;

    private Bucket BucketOf(string storeId)
    {
        if (!_buckets.TryGetValue(storeId, out var b)) _buckets[storeId] = b = new Bucket();
        return b;
    }

    // ---------------------------------------------------------------- reads

    public StoredObject? Get(ResourceDef def, string? ns, string name)
    {
        lock (_gate)
            return BucketOf(def.StoreId).Items.GetValueOrDefault(StoredObject.KeyOf(def.Namespaced ? ns : null, name));
    }

    public StoredObject GetOrThrow(ResourceDef def, string? ns, string name) =>
        Get(def, ns, name) ?? throw ApiException.NotFound(def, name);

    public IReadOnlyList<StoredObject> Snapshot(ResourceDef def, string? ns)
    {
        lock (_gate)
        {
            var b = BucketOf(def.StoreId);
            var (lo, hi) = b.Range(def.Namespaced ? ns : null);
            var list = new List<StoredObject>(hi - lo);
            for (var i = lo; i < hi; i++) list.Add(b.Items[b.Keys[i]]);
            return list;
        }
    }

    public int Count(ResourceDef def)
    {
        lock (_gate) return BucketOf(def.StoreId).Items.Count;
    }

    public sealed record ListPage(long ResourceVersion, IReadOnlyList<StoredObject> Items, string? Continue, long? RemainingItemCount);

    private const string ExpiredContinue =
        "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.";

    /// <summary>One page in key order (namespace/name), resuming strictly after the continue token's key.</summary>
    public ListPage List(ResourceDef def, string? ns, Func<StoredObject, bool>? filter, long limit, string? continueToken)
    {
        lock (_gate)
        {
            var b = BucketOf(def.StoreId);
            var listRv = _rv;
            var (lo, hi) = b.Range(def.Namespaced ? ns : null);
            if (!string.IsNullOrEmpty(continueToken))
            {
                var (tokenRv, after) = DecodeContinue(continueToken);
                if (tokenRv < _compactedRv) throw ApiException.Expired(ExpiredContinue);
                listRv = tokenRv;
                lo = Math.Max(lo, b.UpperBound(after));
            }
            var items = new List<StoredObject>(limit > 0 ? (int)Math.Min(limit, hi - lo > 0 ? hi - lo : 0) : Math.Max(0, hi - lo));
            var i = lo;
            while (i < hi)
            {
                var o = b.Items[b.Keys[i]];
                i++;
                if (filter != null && !filter(o)) continue;
                items.Add(o);
                if (limit > 0 && items.Count >= limit) break;
            }
            string? next = null;
            long? remaining = null;
            if (limit > 0 && items.Count >= limit && i < hi)
            {
                next = EncodeContinue(listRv, items[^1].Key);
                if (filter == null) remaining = hi - i;
            }
            return new ListPage(listRv, items, next, remaining);
        }
    }

    private static string EncodeContinue(long rv, string key)
    {
        var json = JsonSerializer.Serialize(new Dictionary<string, object> { ["v"] = "meta.k8s.io/v1", ["rv"] = rv, ["start"] = key });
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    private static (long Rv, string After) DecodeContinue(string token)
    {
        try
        {
            var s = token.Replace('-', '+').Replace('_', '/');
            s = s.PadRight(s.Length + (4 - s.Length % 4) % 4, '=');
            var node = JsonNode.Parse(Convert.FromBase64String(s))!;
            return (node["rv"]!.GetValue<long>(), node["start"]!.GetValue<string>());
        }
        catch (Exception e) when (e is FormatException or JsonException or NullReferenceException or InvalidOperationException)
        {
            throw ApiException.BadRequest("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
        }
    }

    // ---------------------------------------------------------------- writes

    public StoredObject Create(ResourceDef def, JsonObject obj, string? urlNs, bool dryRun = false, string? presetUid = null)
    {
        var meta = Json.Obj(obj, "metadata");
        string? ns = null;
        if (def.Namespaced)
        {
            var bodyNs = Json.Str(meta, "namespace");
            if (urlNs != null && !string.IsNullOrEmpty(bodyNs) && bodyNs != urlNs)
                throw ApiException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
            ns = urlNs ?? (string.IsNullOrEmpty(bodyNs) ? "default" : bodyNs);
            meta["namespace"] = ns;
        }
        else meta.Remove("namespace");

        obj["apiVersion"] = def.ApiVersion;
        obj["kind"] = def.Kind;
        var name = Json.Str(meta, "name") ?? "";
        var generateName = Json.Str(meta, "generateName") ?? "";
        if (name.Length == 0 && generateName.Length > 0) name = generateName + Names.RandomSuffix();
        meta["name"] = name;
        var errors = new List<FieldError>();
        if (name.Length == 0) errors.Add(FieldError.Required("metadata.name", "name or generateName is required"));
        else errors.AddRange(Names.Check(name, def.NameRule).Select(m => FieldError.InvalidValue("metadata.name", name, m)));
        errors.AddRange(Validation.Validate(def, obj));
        if (errors.Count > 0) throw ApiException.Invalid(def, name, errors);

        lock (_gate)
        {
            if (ns != null)
            {
                var nsObj = Get(NamespaceDef, null, ns) ?? throw ApiException.NamespaceNotFound(ns);
                if (nsObj.IsDeleting)
                    throw ApiException.Forbidden(def, name, $"unable to create new content in namespace {ns} because it is being terminated");
            }
            var bucket = BucketOf(def.StoreId);
            var key = StoredObject.KeyOf(ns, name);
            if (bucket.Items.ContainsKey(key))
            {
                if (generateName.Length > 0 && Json.Str(obj, "metadata", "name") == name)
                    throw new ApiException(409, "AlreadyExists", $"{def.GroupResource} \"{name}\" already exists, the server was not able to generate a unique name for the object", null);
                throw ApiException.AlreadyExists(def, name);
            }
            meta.Remove("deletionTimestamp");
            meta.Remove("deletionGracePeriodSeconds");
            meta.Remove("managedFields");
            meta.Remove("selfLink");
            meta["uid"] = presetUid ?? Guid.NewGuid().ToString();
            meta["creationTimestamp"] = Clock.Timestamp();
            meta["generation"] = 1;
            Defaults.OnCreate(def, obj, this);
            if (def.Kind == "CustomResourceDefinition" && def.Group == "apiextensions.k8s.io")
                Crds.Validate(def, obj);
            if (dryRun)
            {
                meta["resourceVersion"] = "";
                return StoredObject.From(def.StoreId, obj);
            }
            meta["resourceVersion"] = (++_rv).ToString();
            var stored = StoredObject.From(def.StoreId, obj);
            Put(bucket, stored, null);
            Commit(def, new WatchEvent(_rv, "ADDED", stored, null));
            if (def.Kind == "CustomResourceDefinition" && def.Group == "apiextensions.k8s.io")
                Crds.OnStored(this, stored.Parse());
            return stored;
        }
    }

    /// <summary>Replaces an object (PUT), or only its status for the status subresource.</summary>
    public StoredObject Update(ResourceDef def, string? ns, string name, JsonObject obj, string? subresource, bool dryRun = false)
    {
        lock (_gate)
        {
            ns = def.Namespaced ? ns : null;
            var cur = Get(def, ns, name) ?? throw ApiException.NotFound(def, name);
            var meta = Json.Obj(obj, "metadata");
            var bodyName = Json.Str(meta, "name");
            if (!string.IsNullOrEmpty(bodyName) && bodyName != name)
                throw ApiException.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})");
            var bodyNs = Json.Str(meta, "namespace");
            if (def.Namespaced && !string.IsNullOrEmpty(bodyNs) && bodyNs != ns)
                throw ApiException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
            var bodyRv = Json.Str(meta, "resourceVersion");
            if (!string.IsNullOrEmpty(bodyRv) && bodyRv != cur.ResourceVersion.ToString())
                throw ApiException.Conflict(def, name);

            var current = cur.Parse();
            JsonObject next;
            if (subresource == "status")
            {
                next = current;
                if (obj["status"] is JsonNode st) next["status"] = st.DeepClone(); else next.Remove("status");
            }
            else
            {
                next = obj;
                if (def.HasStatus)
                {
                    if (current["status"] is JsonNode st) next["status"] = st.DeepClone(); else next.Remove("status");
                }
                var curMeta = (JsonObject)current["metadata"]!;
                var nextMeta = Json.Obj(next, "metadata");
                foreach (var f in new[] { "name", "namespace", "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation" })
                {
                    if (curMeta[f] is JsonNode v) nextMeta[f] = v.DeepClone(); else nextMeta.Remove(f);
                }
                nextMeta.Remove("managedFields");
                if (cur.IsDeleting && nextMeta["finalizers"] is JsonArray added && curMeta["finalizers"] is JsonArray had
                    && added.Any(a => !had.Any(h => Json.DeepEquals(a, h))))
                    throw new ApiException(422, "Invalid", $"{def.Kind} \"{name}\" is invalid: metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted", null);
                var errors = Validation.Validate(def, next).ToList();
                errors.AddRange(Validation.ValidateUpdate(def, current, next, this));
                if (errors.Count > 0) throw ApiException.Invalid(def, name, errors);
                if (!Json.DeepEquals(Spec(current), Spec(next)))
                    nextMeta["generation"] = (Json.Long(curMeta, "generation") ?? 1) + 1;
            }
            next["apiVersion"] = def.ApiVersion;
            next["kind"] = def.Kind;
            Json.Obj(next, "metadata")["resourceVersion"] = cur.ResourceVersion.ToString();
            var unchanged = StoredObject.From(def.StoreId, next);
            if (unchanged.Json.AsSpan().SequenceEqual(cur.Json)) return cur;
            if (dryRun) return unchanged;

            if (cur.IsDeleting && !unchanged.HasFinalizers)
                return Remove(def, cur, next);

            next["metadata"]!["resourceVersion"] = (++_rv).ToString();
            var stored = StoredObject.From(def.StoreId, next);
            Put(BucketOf(def.StoreId), stored, cur);
            Commit(def, new WatchEvent(_rv, "MODIFIED", stored, cur));
            if (def.Kind == "CustomResourceDefinition" && def.Group == "apiextensions.k8s.io")
                Crds.OnStored(this, next);
            return stored;
        }
    }

    /// <summary>Read-modify-write under the lock, so patches never lose a concurrent change.</summary>
    public StoredObject Mutate(ResourceDef def, string? ns, string name, Func<JsonObject, JsonObject> change, string? subresource, bool dryRun = false)
    {
        lock (_gate)
        {
            var cur = Get(def, ns, name) ?? throw ApiException.NotFound(def, name);
            var next = change(cur.Parse());
            return Update(def, ns, name, next, subresource, dryRun);
        }
    }

    private static JsonObject Spec(JsonObject o)
    {
        var copy = new JsonObject();
        foreach (var kv in o)
            if (kv.Key is not ("metadata" or "status" or "apiVersion" or "kind"))
                copy[kv.Key] = kv.Value?.DeepClone();
        return copy;
    }

    public sealed record DeleteOutcome(StoredObject Object, bool Removed);

    public DeleteOutcome Delete(ResourceDef def, string? ns, string name, string? propagationPolicy = null,
        string? preconditionUid = null, string? preconditionRv = null, bool dryRun = false)
    {
        lock (_gate)
        {
            ns = def.Namespaced ? ns : null;
            var cur = Get(def, ns, name) ?? throw ApiException.NotFound(def, name);
            if (!string.IsNullOrEmpty(preconditionUid) && preconditionUid != cur.Uid)
                throw ApiException.Conflict(def, name, $"Precondition failed: UID in precondition: {preconditionUid}, UID in object meta: {cur.Uid}");
            if (!string.IsNullOrEmpty(preconditionRv) && preconditionRv != cur.ResourceVersion.ToString())
                throw ApiException.Conflict(def, name, $"Precondition failed: ResourceVersion in precondition: {preconditionRv}, ResourceVersion in object meta: {cur.ResourceVersion}");
            if (dryRun) return new DeleteOutcome(cur, false);

            if (def.StoreId == "namespaces") return DeleteNamespace(def, cur);

            if (propagationPolicy == "Orphan") Orphan(cur);
            else if (propagationPolicy == "Foreground") DeleteDependents(cur.Uid, force: true);

            if (cur.HasFinalizers)
            {
                if (cur.IsDeleting) return new DeleteOutcome(cur, false);
                var o = cur.Parse();
                var meta = (JsonObject)o["metadata"]!;
                meta["deletionTimestamp"] = Clock.Timestamp();
                meta["deletionGracePeriodSeconds"] = 0;
                meta["resourceVersion"] = (++_rv).ToString();
                var stored = StoredObject.From(def.StoreId, o);
                Put(BucketOf(def.StoreId), stored, cur);
                Commit(def, new WatchEvent(_rv, "MODIFIED", stored, cur));
                return new DeleteOutcome(stored, false);
            }
            var parsed = cur.Parse();
            return new DeleteOutcome(Remove(def, cur, parsed), true);
        }
    }

    private DeleteOutcome DeleteNamespace(ResourceDef def, StoredObject cur)
    {
        var o = cur.Parse();
        if (!cur.IsDeleting)
        {
            var meta = (JsonObject)o["metadata"]!;
            meta["deletionTimestamp"] = Clock.Timestamp();
            Json.Obj(o, "status")["phase"] = "Terminating";
            meta["resourceVersion"] = (++_rv).ToString();
            var stored = StoredObject.From(def.StoreId, o);
            Put(BucketOf(def.StoreId), stored, cur);
            Commit(def, new WatchEvent(_rv, "MODIFIED", stored, cur));
            foreach (var (storeId, bucket) in _buckets.ToList())
            {
                var d = Registry.All.FirstOrDefault(x => x.StoreId == storeId && !x.Virtual);
                if (d == null || !d.Namespaced) continue;
                var (lo, hi) = bucket.Range(cur.Name);
                foreach (var key in bucket.Keys.GetRange(lo, hi - lo))
                    if (bucket.Items.TryGetValue(key, out var item) && !item.IsDeleting)
                        Delete(d, item.Namespace, item.Name);
            }
        }
        var after = TryFinishNamespace(cur.Name);
        return after ?? new DeleteOutcome(Get(def, null, cur.Name)!, false);
    }

    private DeleteOutcome? TryFinishNamespace(string ns)
    {
        var nsDef = NamespaceDef;
        var nsObj = Get(nsDef, null, ns);
        if (nsObj == null || !nsObj.IsDeleting) return null;
        foreach (var (storeId, bucket) in _buckets)
        {
            if (storeId == "namespaces") continue;
            var (lo, hi) = bucket.Range(ns);
            if (hi > lo) return null;
        }
        return new DeleteOutcome(Remove(nsDef, nsObj, nsObj.Parse()), true);
    }

    private StoredObject Remove(ResourceDef def, StoredObject cur, JsonObject last)
    {
        var bucket = BucketOf(def.StoreId);
        last["metadata"]!["resourceVersion"] = (++_rv).ToString();
        var tombstone = StoredObject.From(def.StoreId, last);
        bucket.Items.Remove(cur.Key);
        var idx = bucket.Keys.BinarySearch(cur.Key, StringComparer.Ordinal);
        if (idx >= 0) bucket.Keys.RemoveAt(idx);
        _byUid.Remove(cur.Uid);
        Unindex(cur);
        Commit(def, new WatchEvent(_rv, "DELETED", tombstone, cur));
        if (def.Kind == "CustomResourceDefinition" && def.Group == "apiextensions.k8s.io")
            Crds.OnRemoved(this, last);
        DeleteDependents(cur.Uid, force: false);
        if (cur.Namespace != null) TryFinishNamespace(cur.Namespace);
        return tombstone;
    }

    /// <summary>Garbage collection: a dependent goes once none of its owners exists any more.</summary>
    private void DeleteDependents(string ownerUid, bool force)
    {
        if (!_dependents.TryGetValue(ownerUid, out var deps)) return;
        foreach (var (storeId, key) in deps.ToList())
        {
            if (!_buckets.TryGetValue(storeId, out var b) || !b.Items.TryGetValue(key, out var dep) || dep.IsDeleting) continue;
            if (!force && dep.OwnerUids.Any(u => u != ownerUid && _byUid.ContainsKey(u))) continue;
            var d = Registry.All.FirstOrDefault(x => x.StoreId == storeId && !x.Virtual);
            if (d != null) Delete(d, dep.Namespace, dep.Name, "Background");
        }
    }

    private void Orphan(StoredObject owner)
    {
        if (!_dependents.TryGetValue(owner.Uid, out var deps)) return;
        foreach (var (storeId, key) in deps.ToList())
        {
            if (!_buckets.TryGetValue(storeId, out var b) || !b.Items.TryGetValue(key, out var dep)) continue;
            var d = Registry.All.FirstOrDefault(x => x.StoreId == storeId && !x.Virtual);
            if (d == null) continue;
            var o = dep.Parse();
            if (o["metadata"]?["ownerReferences"] is JsonArray refs)
            {
                foreach (var r in refs.OfType<JsonObject>().Where(r => Json.Str(r, "uid") == owner.Uid).ToList()) refs.Remove(r);
                if (refs.Count == 0) ((JsonObject)o["metadata"]!).Remove("ownerReferences");
            }
            Update(d, dep.Namespace, dep.Name, o, null);
        }
    }

    private void Put(Bucket bucket, StoredObject stored, StoredObject? previous)
    {
        if (previous == null)
        {
            var i = bucket.Keys.BinarySearch(stored.Key, StringComparer.Ordinal);
            if (i < 0) bucket.Keys.Insert(~i, stored.Key);
        }
        else Unindex(previous);
        bucket.Items[stored.Key] = stored;
        _byUid[stored.Uid] = (stored.StoreId, stored.Key);
        foreach (var owner in stored.OwnerUids)
        {
            if (!_dependents.TryGetValue(owner, out var set)) _dependents[owner] = set = new();
            set.Add((stored.StoreId, stored.Key));
        }
    }

    private void Unindex(StoredObject o)
    {
        foreach (var owner in o.OwnerUids)
            if (_dependents.TryGetValue(owner, out var set))
            {
                set.Remove((o.StoreId, o.Key));
                if (set.Count == 0) _dependents.Remove(owner);
            }
    }

    public bool UidExists(string uid)
    {
        lock (_gate) return _byUid.ContainsKey(uid);
    }

    public string NextClusterIp()
    {
        lock (_gate)
        {
            var n = _nextServiceIp++;
            return $"10.96.{n / 250}.{n % 250 + 1}";
        }
    }

    /// <summary>Removes every object of a group resource (a CRD was deleted).</summary>
    public void DropAll(string storeId)
    {
        lock (_gate)
        {
            if (!_buckets.TryGetValue(storeId, out var b)) return;
            var d = Registry.All.FirstOrDefault(x => x.StoreId == storeId && !x.Virtual);
            foreach (var key in b.Keys.ToList())
            {
                var cur = b.Items[key];
                if (d != null) Remove(d, cur, cur.Parse());
                else { b.Items.Remove(key); b.Keys.Remove(key); }
            }
            _buckets.Remove(storeId);
        }
    }

    // ---------------------------------------------------------------- watch

    private void Commit(ResourceDef def, WatchEvent ev)
    {
        _history.Add(ev);
        if (_history.Count > _historyLimit + _historyLimit / 4)
        {
            var drop = _history.Count - _historyLimit;
            _historyFloor = _history[drop - 1].ResourceVersion;
            _history.RemoveRange(0, drop);
        }
        foreach (var w in _watchers)
            if (w.StoreId == ev.Object.StoreId && (w.Namespace == null || w.Namespace == ev.Object.Namespace))
                w.Events.Writer.TryWrite(ev);
        Observer?.Invoke(def, ev);
    }

    /// <summary>Opens a watch. Null or "0" starts with synthetic ADDED events for the current state.</summary>
    public Watcher Watch(ResourceDef def, string? ns, string? fromResourceVersion, bool initialEvents = false)
    {
        lock (_gate)
        {
            var w = new Watcher(this, def.StoreId, def.Namespaced ? ns : null) { StartResourceVersion = _rv };
            if (string.IsNullOrEmpty(fromResourceVersion) || fromResourceVersion == "0" || initialEvents)
            {
                var b = BucketOf(def.StoreId);
                var (lo, hi) = b.Range(w.Namespace);
                for (var i = lo; i < hi; i++)
                {
                    var o = b.Items[b.Keys[i]];
                    w.Events.Writer.TryWrite(new WatchEvent(o.ResourceVersion, "ADDED", o, null));
                }
                w.InitialEvents = hi - lo;
            }
            else
            {
                if (!long.TryParse(fromResourceVersion, out var from) || from < 0)
                    throw ApiException.BadRequest($"invalid resource version: {fromResourceVersion}");
                var floor = Math.Max(_historyFloor, _compactedRv);
                if (from < floor)
                    throw ApiException.Expired($"too old resource version: {from} ({floor})");
                foreach (var ev in _history)
                    if (ev.ResourceVersion > from && ev.Object.StoreId == w.StoreId && (w.Namespace == null || w.Namespace == ev.Object.Namespace))
                        w.Events.Writer.TryWrite(ev);
            }
            _watchers.Add(w);
            return w;
        }
    }

    internal void Unsubscribe(Watcher w)
    {
        lock (_gate) _watchers.Remove(w);
    }

    /// <summary>Ends every open watch stream (a fault: clients must re-list or resume).</summary>
    public int CloseAllWatches()
    {
        List<Watcher> all;
        lock (_gate)
        {
            all = _watchers.ToList();
            _watchers.Clear();
        }
        foreach (var w in all) w.Close();
        return all.Count;
    }

    /// <summary>Forgets history: older resourceVersions and every continue token issued so far expire.</summary>
    public void Compact()
    {
        lock (_gate)
        {
            // A new revision marks the compaction, so every token and version handed out before it is older.
            _compactedRv = ++_rv;
            _historyFloor = _rv;
            _history.Clear();
        }
    }
}

/// <summary>An open watch: the store pushes matching events into its channel until it is closed.</summary>
internal sealed class Watcher : IDisposable
{
    private readonly ObjectStore _store;
    private readonly CancellationTokenSource _closed = new();

    public Watcher(ObjectStore store, string storeId, string? ns)
    {
        _store = store;
        StoreId = storeId;
        Namespace = ns;
    }

    public string StoreId { get; }
    public string? Namespace { get; }

    /// <summary>The store's resourceVersion when the watch opened (the initial-events-end bookmark carries it).</summary>
    public long StartResourceVersion { get; init; }

    /// <summary>How many synthetic ADDED events for the current state lead the stream.</summary>
    public int InitialEvents { get; set; }

    public Channel<WatchEvent> Events { get; } = Channel.CreateUnbounded<WatchEvent>(new UnboundedChannelOptions { SingleReader = true });
    public CancellationToken Closed => _closed.Token;

    public void Close()
    {
        Events.Writer.TryComplete();
        try { _closed.Cancel(); } catch (ObjectDisposedException) { }
    }

    public void Dispose()
    {
        _store.Unsubscribe(this);
        Events.Writer.TryComplete();
    }
}
