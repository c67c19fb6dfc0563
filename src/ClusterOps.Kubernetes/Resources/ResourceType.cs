using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace ClusterOps.Kubernetes.Resources;

/// <summary>
/// A REST resource (group, version, plural, scope) together with the model it is read into. Built-in kinds are in
/// <see cref="KubeResources"/>; custom resources use <see cref="ResourceType.Custom"/> (objects as JsonObject, so
/// every field survives), or the public constructor with your own source-generated type info.
/// </summary>
public sealed class ResourceType<T> where T : class
{
    public ResourceType(string group, string version, string plural, string kind, bool namespaced,
        JsonTypeInfo<T> itemInfo, JsonTypeInfo<KubeList<T>> listInfo)
    {
        ArgumentException.ThrowIfNullOrEmpty(version);
        ArgumentException.ThrowIfNullOrEmpty(plural);
        Group = group ?? "";
        Version = version;
        Plural = plural;
        Kind = kind;
        Namespaced = namespaced;
        ItemInfo = itemInfo;
        ListInfo = listInfo;
    }

    /// <summary>"" for the core group.</summary>
    public string Group { get; }
    public string Version { get; }
    public string Plural { get; }
    public string Kind { get; }
    public bool Namespaced { get; }
    public JsonTypeInfo<T> ItemInfo { get; }
    public JsonTypeInfo<KubeList<T>> ListInfo { get; }

    /// <summary>"v1" or "apps/v1", as in an object's apiVersion.</summary>
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>"/api/v1" or "/apis/apps/v1" (without the server's path prefix).</summary>
    public string GroupVersionPath => Group.Length == 0 ? $"/api/{Version}" : $"/apis/{Group}/{Version}";

    public override string ToString() => Group.Length == 0 ? Plural : $"{Plural}.{Group}";
}

public static class ResourceType
{
    /// <summary>A custom (or any) resource read as JsonObject: e.g. Custom("stork.libopenstorage.org", "v1alpha1",
    /// "schedulepolicies", "SchedulePolicy", namespaced: false).</summary>
    public static ResourceType<JsonObject> Custom(string group, string version, string plural, string kind, bool namespaced) =>
        new(group, version, plural, kind, namespaced, KubeJsonContext.Default.JsonObject, KubeJsonContext.Default.KubeListJsonObject);
}

/// <summary>The built-in resources ClusterOps uses, with their typed models.</summary>
public static class KubeResources
{
    private static readonly KubeJsonContext J = KubeJsonContext.Default;

    public static ResourceType<Pod> Pods { get; } = new("", "v1", "pods", "Pod", true, J.Pod, J.KubeListPod);
    public static ResourceType<PersistentVolumeClaim> PersistentVolumeClaims { get; } =
        new("", "v1", "persistentvolumeclaims", "PersistentVolumeClaim", true, J.PersistentVolumeClaim, J.KubeListPersistentVolumeClaim);
    public static ResourceType<PersistentVolume> PersistentVolumes { get; } =
        new("", "v1", "persistentvolumes", "PersistentVolume", false, J.PersistentVolume, J.KubeListPersistentVolume);
    public static ResourceType<Service> Services { get; } = new("", "v1", "services", "Service", true, J.Service, J.KubeListService);
    public static ResourceType<Secret> Secrets { get; } = new("", "v1", "secrets", "Secret", true, J.Secret, J.KubeListSecret);
    public static ResourceType<ConfigMap> ConfigMaps { get; } = new("", "v1", "configmaps", "ConfigMap", true, J.ConfigMap, J.KubeListConfigMap);
    public static ResourceType<Namespace> Namespaces { get; } = new("", "v1", "namespaces", "Namespace", false, J.Namespace, J.KubeListNamespace);
    public static ResourceType<Event> Events { get; } = new("", "v1", "events", "Event", true, J.Event, J.KubeListEvent);
    public static ResourceType<Deployment> Deployments { get; } =
        new("apps", "v1", "deployments", "Deployment", true, J.Deployment, J.KubeListDeployment);
    public static ResourceType<StatefulSet> StatefulSets { get; } =
        new("apps", "v1", "statefulsets", "StatefulSet", true, J.StatefulSet, J.KubeListStatefulSet);
    public static ResourceType<Job> Jobs { get; } = new("batch", "v1", "jobs", "Job", true, J.Job, J.KubeListJob);
}
