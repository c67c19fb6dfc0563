using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ClusterOps.Core.Common;
using ClusterOps.Kubernetes.Errors;
using ClusterOps.Kubernetes.Http;
using ClusterOps.Kubernetes.Resources;

namespace ClusterOps.Core.Scheduling;

/// <summary>
/// The Stork resources (and the few built-in ones) the cluster scheduling operations use. Everything is read as
/// JsonObject so that fields ClusterOps does not model survive every read-modify-write.
/// </summary>
public static class StorkResources
{
    public const string MigrationPlural = "migrations";
    public const string MigrationKind = "Migration";
    public const string ClusterPairPlural = "clusterpairs";
    public const string ClusterPairKind = "ClusterPair";

    /// <summary>The admin namespace when Stork's controller ConfigMap names none (pkg/k8sutils DefaultAdminNamespace).</summary>
    public const string DefaultAdminNamespace = "kube-system";

    /// <summary>Stork's controller ConfigMap in kube-system; its key <see cref="AdminNamespaceKey"/> names the admin namespace.</summary>
    public const string ControllerConfigMap = "stork-controller-config";
    public const string AdminNamespaceKey = "admin-ns";

    public static readonly ResourceType<JsonObject> SchedulePolicies =
        ResourceType.Custom(StorkApi.Group, StorkApi.Version, StorkApi.SchedulePolicyPlural, StorkApi.SchedulePolicyKind, false);
    public static readonly ResourceType<JsonObject> NamespacedSchedulePolicies =
        ResourceType.Custom(StorkApi.Group, StorkApi.Version, StorkApi.NamespacedSchedulePolicyPlural, StorkApi.NamespacedSchedulePolicyKind, true);
    public static readonly ResourceType<JsonObject> MigrationSchedules =
        ResourceType.Custom(StorkApi.Group, StorkApi.Version, StorkApi.MigrationSchedulePlural, StorkApi.MigrationScheduleKind, true);
    public static readonly ResourceType<JsonObject> Migrations =
        ResourceType.Custom(StorkApi.Group, StorkApi.Version, MigrationPlural, MigrationKind, true);
    public static readonly ResourceType<JsonObject> ClusterPairs =
        ResourceType.Custom(StorkApi.Group, StorkApi.Version, ClusterPairPlural, ClusterPairKind, true);
    public static readonly ResourceType<JsonObject> Events = ResourceType.Custom("", "v1", "events", "Event", true);
    public static readonly ResourceType<JsonObject> Deployments = ResourceType.Custom("apps", "v1", "deployments", "Deployment", true);
    public static readonly ResourceType<JsonObject> StatefulSets = ResourceType.Custom("apps", "v1", "statefulsets", "StatefulSet", true);
    public static readonly ResourceType<JsonObject> ReplicaSets = ResourceType.Custom("apps", "v1", "replicasets", "ReplicaSet", true);
    public static readonly ResourceType<JsonObject> DeploymentConfigs = ResourceType.Custom("apps.openshift.io", "v1", "deploymentconfigs", "DeploymentConfig", true);
    public static readonly ResourceType<JsonObject> CronJobs = ResourceType.Custom("batch", "v1", "cronjobs", "CronJob", true);
    public static readonly ResourceType<JsonObject> ConfigMaps = ResourceType.Custom("", "v1", "configmaps", "ConfigMap", true);
    public static readonly ResourceType<JsonObject> ApplicationRegistrations =
        ResourceType.Custom(StorkApi.Group, StorkApi.Version, "applicationregistrations", "ApplicationRegistration", false);

    public const string NotInstalledErrorId = "StorkNotInstalled";

    public static ResourceType<JsonObject> Policies(SchedulePolicyScope scope) =>
        scope == SchedulePolicyScope.Cluster ? SchedulePolicies : NamespacedSchedulePolicies;

    /// <summary>
    /// Fails with a friendly, stable error (StorkNotInstalled) when the cluster does not serve the Stork resource.
    /// Discovery answers are cached per connection, so calling this before each operation costs one request at most.
    /// </summary>
    public static async Task EnsureInstalledAsync(KubeClient client, ResourceType<JsonObject> type, CancellationToken cancellationToken)
    {
        try
        {
            await client.Discovery.EnsureResourceAsync(type.Group, type.Version, type.Plural, cancellationToken).ConfigureAwait(false);
        }
        catch (KubeApiGroupNotInstalledException ex)
        {
            throw new OperationException(NotInstalledErrorId, FailureKind.NotInstalled,
                $"Stork is not installed in this cluster: {ex.Message} ClusterOps needs Stork's {type.Plural}.{type.Group} resource.", type.Plural)
            {
                RecommendedAction = "Install Stork (it registers its CRDs when it starts), or select the cluster where it runs with -Context.",
            };
        }
    }

    /// <summary>True when the cluster serves the resource (NamespacedSchedulePolicy came later than SchedulePolicy).</summary>
    public static async Task<bool> IsServedAsync(KubeClient client, ResourceType<JsonObject> type, CancellationToken cancellationToken)
    {
        var list = await client.Discovery.GetResourcesAsync(type.Group, type.Version, cancellationToken).ConfigureAwait(false);
        return list is not null && list.Resources.Any(r => r.Name == type.Plural);
    }

    /// <summary>
    /// Stork's admin namespace as storkctl reads it (pkg/utils GetAdminNamespace): key admin-ns of ConfigMap
    /// kube-system/stork-controller-config, or kube-system when the ConfigMap or the key is missing or unreadable.
    /// </summary>
    public static async Task<string> AdminNamespaceAsync(KubeClient client, IOperationContext context)
    {
        JsonObject? map;
        try
        {
            map = await client.TryGetAsync(ConfigMaps, DefaultAdminNamespace, ControllerConfigMap, context.CancellationToken).ConfigureAwait(false);
        }
        catch (KubeApiException ex) when (ex.Code is 401 or 403)
        {
            context.WriteVerbose($"ConfigMap {DefaultAdminNamespace}/{ControllerConfigMap} cannot be read ({ex.Message}); Stork's admin namespace is taken to be {DefaultAdminNamespace}, as storkctl does.");
            return DefaultAdminNamespace;
        }
        if (Text(map, "data", AdminNamespaceKey) is { Length: > 0 } configured)
        {
            context.WriteVerbose($"Stork's admin namespace is '{configured}' (key {AdminNamespaceKey} of ConfigMap {DefaultAdminNamespace}/{ControllerConfigMap}).");
            return configured;
        }
        context.WriteVerbose($"ConfigMap {DefaultAdminNamespace}/{ControllerConfigMap} has no {AdminNamespaceKey}; Stork's admin namespace is {DefaultAdminNamespace}.");
        return DefaultAdminNamespace;
    }

    internal static string? Text(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    internal static string? Text(JsonNode? node, params string[] path)
    {
        foreach (var p in path)
            node = node is JsonObject o ? o[p] : null;
        return Text(node);
    }

    internal static JsonNode? At(JsonNode? node, params string[] path)
    {
        foreach (var p in path)
            node = node is JsonObject o ? o[p] : null;
        return node;
    }

    internal static bool? Bool(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? v.GetValue<bool>() : null;

    // Values parsed from the server wrap JsonElement, values built in code wrap CLR numbers: read both through their JSON text.
    internal static long? Long(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.Number
        && double.TryParse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? (long)d : null;

    internal static DateTimeOffset? Time(JsonNode? node) =>
        Text(node) is { } s && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;

    internal static string Name(JsonObject o) => Text(o, "metadata", "name") ?? "";
    internal static string? Namespace(JsonObject o) => Text(o, "metadata", "namespace");

    internal static IReadOnlyDictionary<string, string> StringMap(JsonNode? node) =>
        node is JsonObject o
            ? o.Where(p => Text(p.Value) is not null).ToDictionary(p => p.Key, p => Text(p.Value)!, StringComparer.Ordinal)
            : new Dictionary<string, string>();
}
