namespace ClusterOps.Sandbox.Server;

/// <summary>The served resources. Copy-on-write so request threads read it without locks.</summary>
internal sealed class ResourceRegistry
{
    private volatile IReadOnlyList<ResourceDef> _defs;
    private long _generation;

    public ResourceRegistry()
    {
        _defs = BuiltIn().ToList();
    }

    public IReadOnlyList<ResourceDef> All => _defs;

    /// <summary>Changes whenever the set of served resources changes (CRDs), for the OpenAPI hash.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    public ResourceDef? Find(string group, string version, string plural)
    {
        foreach (var d in _defs)
            if (d.Plural == plural && d.Group == group && d.Version == version) return d;
        return null;
    }

    public ResourceDef? FindByKind(string apiVersion, string kind)
    {
        foreach (var d in _defs)
            if (d.Kind == kind && d.ApiVersion == apiVersion) return d;
        return null;
    }

    /// <summary>Resolves "pvc", "pods", "statefulsets.apps", "deployment" the way a test names a resource.</summary>
    public ResourceDef? Resolve(string name)
    {
        var lower = name.ToLowerInvariant();
        foreach (var d in _defs)
        {
            if (d.Virtual) continue;
            if (d.Plural == lower || d.Singular == lower || d.GroupResource == lower || d.ShortNames.Contains(lower)
                || (d.Group.Length > 0 && $"{d.Singular}.{d.Group}" == lower) || d.Kind.Equals(name, StringComparison.OrdinalIgnoreCase))
                return d;
        }
        return null;
    }

    public bool IsGroupVersionServed(string group, string version) =>
        _defs.Any(d => d.Group == group && d.Version == version);

    public void Register(IEnumerable<ResourceDef> defs)
    {
        var list = _defs.ToList();
        foreach (var d in defs)
        {
            list.RemoveAll(x => x.Group == d.Group && x.Version == d.Version && x.Plural == d.Plural);
            list.Add(d);
        }
        _defs = list;
        Interlocked.Increment(ref _generation);
    }

    public void Unregister(string group, string plural)
    {
        _defs = _defs.Where(d => !(d.Group == group && d.Plural == plural && d.IsCustom)).ToList();
        Interlocked.Increment(ref _generation);
    }

    private static IEnumerable<ResourceDef> BuiltIn()
    {
        yield return new() { Group = "", Version = "v1", Kind = "Namespace", Plural = "namespaces", Singular = "namespace", Namespaced = false, ShortNames = ["ns"], HasStatus = true, NameRule = Names.Rule.Label };
        yield return new() { Group = "", Version = "v1", Kind = "Node", Plural = "nodes", Singular = "node", Namespaced = false, ShortNames = ["no"], HasStatus = true };
        yield return new() { Group = "", Version = "v1", Kind = "Pod", Plural = "pods", Singular = "pod", ShortNames = ["po"], Categories = ["all"], HasStatus = true };
        yield return new() { Group = "", Version = "v1", Kind = "Service", Plural = "services", Singular = "service", ShortNames = ["svc"], Categories = ["all"], HasStatus = true, NameRule = Names.Rule.Label1035 };
        yield return new() { Group = "", Version = "v1", Kind = "Secret", Plural = "secrets", Singular = "secret" };
        yield return new() { Group = "", Version = "v1", Kind = "ConfigMap", Plural = "configmaps", Singular = "configmap", ShortNames = ["cm"] };
        yield return new() { Group = "", Version = "v1", Kind = "ServiceAccount", Plural = "serviceaccounts", Singular = "serviceaccount", ShortNames = ["sa"] };
        yield return new() { Group = "", Version = "v1", Kind = "Event", Plural = "events", Singular = "event", ShortNames = ["ev"] };
        yield return new() { Group = "", Version = "v1", Kind = "PersistentVolumeClaim", Plural = "persistentvolumeclaims", Singular = "persistentvolumeclaim", ShortNames = ["pvc"], HasStatus = true };
        yield return new() { Group = "", Version = "v1", Kind = "PersistentVolume", Plural = "persistentvolumes", Singular = "persistentvolume", Namespaced = false, ShortNames = ["pv"], HasStatus = true };
        yield return new() { Group = "apps", Version = "v1", Kind = "Deployment", Plural = "deployments", Singular = "deployment", ShortNames = ["deploy"], Categories = ["all"], HasStatus = true, HasScale = true };
        yield return new() { Group = "apps", Version = "v1", Kind = "StatefulSet", Plural = "statefulsets", Singular = "statefulset", ShortNames = ["sts"], Categories = ["all"], HasStatus = true, HasScale = true };
        yield return new() { Group = "apps", Version = "v1", Kind = "ReplicaSet", Plural = "replicasets", Singular = "replicaset", ShortNames = ["rs"], Categories = ["all"], HasStatus = true, HasScale = true };
        yield return new() { Group = "batch", Version = "v1", Kind = "Job", Plural = "jobs", Singular = "job", Categories = ["all"], HasStatus = true };
        yield return new() { Group = "batch", Version = "v1", Kind = "CronJob", Plural = "cronjobs", Singular = "cronjob", ShortNames = ["cj"], Categories = ["all"], HasStatus = true };
        yield return new() { Group = "storage.k8s.io", Version = "v1", Kind = "StorageClass", Plural = "storageclasses", Singular = "storageclass", Namespaced = false, ShortNames = ["sc"] };
        yield return new() { Group = "rbac.authorization.k8s.io", Version = "v1", Kind = "Role", Plural = "roles", Singular = "role" };
        yield return new() { Group = "rbac.authorization.k8s.io", Version = "v1", Kind = "RoleBinding", Plural = "rolebindings", Singular = "rolebinding" };
        yield return new() { Group = "coordination.k8s.io", Version = "v1", Kind = "Lease", Plural = "leases", Singular = "lease" };
        yield return new() { Group = "apiextensions.k8s.io", Version = "v1", Kind = "CustomResourceDefinition", Plural = "customresourcedefinitions", Singular = "customresourcedefinition", Namespaced = false, ShortNames = ["crd", "crds"], HasStatus = true };
        yield return new() { Group = "authentication.k8s.io", Version = "v1", Kind = "SelfSubjectReview", Plural = "selfsubjectreviews", Singular = "selfsubjectreview", Namespaced = false, Verbs = ["create"], Virtual = true };
    }
}
