using ClusterOps.Core.Common;
using ClusterOps.Kubernetes.Http;
using ClusterOps.Kubernetes.Resources;

namespace ClusterOps.Cmdlets.Infrastructure;

/// <summary>Completes -Namespace from the cluster of the -Context / -KubeConfig being typed (or the session default).</summary>
public sealed class KubeNamespaceCompleter : ClusterNameCompleter
{
    protected override bool UsesSessionNamespace => false;

    protected override Task<IReadOnlyList<string>> CompleteAsync(KubeClient client, string? ns, string wordToComplete) =>
        NameCompletion.CompleteAsync(NameCompletion.KeyFor(client, "namespaces", null),
            ct => NameCompletion.FirstPageAsync(client, KubeResources.Namespaces, null, n => n.Metadata.Name, ct), wordToComplete);
}
