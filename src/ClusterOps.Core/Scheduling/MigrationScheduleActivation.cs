using System.Text.Json.Nodes;
using ClusterOps.Core.Common;
using ClusterOps.Kubernetes.Errors;
using ClusterOps.Kubernetes.Http;

namespace ClusterOps.Core.Scheduling;

/// <summary>
/// Which MigrationSchedules storkctl activate/deactivate migrations marks (pkg/storkctl/migration.go): it looks in the
/// namespace named by the annotation <c>stork.libopenstorage.org/migrationNamespace</c> on the namespace's migrated
/// objects (where the schedule that migrated them lives, often the admin namespace), or in the namespace itself when
/// no object carries it; there a schedule is relevant when it migrates the namespace, by name or by one of its
/// namespaceSelectors (pkg/utils DoesMigrationScheduleMigrateNamespaces). Activation marks every relevant schedule;
/// deactivation only those carrying the static-copy annotation (the suspended copies Stork keeps on the destination).
/// </summary>
public static class MigrationScheduleActivation
{
    /// <summary>storkctl's StorkMigrationNamespace: set by the migration on the objects it creates.</summary>
    public const string MigrationNamespaceAnnotation = StorkApi.Group + "/migrationNamespace";

    private static readonly Kubernetes.Resources.ResourceType<JsonObject> Namespaces =
        Kubernetes.Resources.ResourceType.Custom("", "v1", "namespaces", "Namespace", false);

    /// <summary>
    /// The kinds storkctl's GetMigrationScheduleCRNamespace reads the annotation from, in its order, limited to the
    /// namespaced kinds that carry no secret data (Secrets are not read).
    /// </summary>
    private static readonly Kubernetes.Resources.ResourceType<JsonObject>[] AnnotatedKinds =
    [
        Kubernetes.Resources.ResourceType.Custom("", "v1", "persistentvolumeclaims", "PersistentVolumeClaim", true),
        StorkResources.StatefulSets, StorkResources.Deployments, StorkResources.DeploymentConfigs,
        Kubernetes.Resources.ResourceType.Custom("", "v1", "services", "Service", true),
        StorkResources.ConfigMaps, StorkResources.ReplicaSets, StorkResources.CronJobs,
    ];

    /// <summary>Where the schedules that migrated <paramref name="ns"/> are looked for.</summary>
    public static async Task<string> ScheduleNamespaceAsync(KubeClient client, string ns, IOperationContext context)
    {
        foreach (var type in AnnotatedKinds)
        {
            if (!await StorkResources.IsServedAsync(client, type, context.CancellationToken).ConfigureAwait(false))
                continue;
            await foreach (var item in client.ListAsync(type, ns, null, context.CancellationToken).ConfigureAwait(false))
            {
                if (StorkResources.Text(item, "metadata", "annotations", MigrationNamespaceAnnotation) is { Length: > 0 } found)
                {
                    context.WriteVerbose($"{type.Kind} {ns}/{StorkResources.Name(item)} was migrated by a schedule in namespace '{found}' ({MigrationNamespaceAnnotation}); its MigrationSchedules are the ones marked.");
                    return found;
                }
            }
        }
        return ns;
    }

    /// <summary>DoesMigrationScheduleMigrateNamespaces for one namespace: listed by name, or matched by a namespaceSelectors label (the selectors are OR'ed).</summary>
    public static bool Migrates(JsonObject schedule, string ns, IReadOnlyDictionary<string, string> namespaceLabels)
    {
        var spec = StorkResources.At(schedule, "spec", "template", "spec");
        if ((StorkResources.At(spec, "namespaces") as JsonArray ?? []).Any(n => StorkResources.Text(n) == ns))
            return true;
        return StorkResources.StringMap(StorkResources.At(spec, "namespaceSelectors"))
            .Any(selector => namespaceLabels.TryGetValue(selector.Key, out var value) && value == selector.Value);
    }

    /// <summary>storkctl's rule for one relevant schedule: activation marks it; deactivation only a static copy (the annotation present, whatever its value).</summary>
    public static bool IsMarked(JsonObject schedule, bool activate) =>
        activate || StorkResources.At(schedule, "metadata", "annotations") is JsonObject a && a.ContainsKey(StorkApi.StaticCopyAnnotation);

    public static async Task<IReadOnlyDictionary<string, string>> NamespaceLabelsAsync(KubeClient client, string ns, CancellationToken cancellationToken)
    {
        try
        {
            var item = await client.TryGetAsync(Namespaces, null, ns, cancellationToken).ConfigureAwait(false);
            return StorkResources.StringMap(StorkResources.At(item, "metadata", "labels"));
        }
        catch (KubeApiException ex) when (ex.Code == 403)
        {
            return new Dictionary<string, string>();
        }
    }
}
