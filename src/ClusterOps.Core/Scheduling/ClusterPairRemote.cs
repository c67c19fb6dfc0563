using System.Text.Json.Nodes;
using ClusterOps.Kubernetes.Config;

namespace ClusterOps.Core.Scheduling;

/// <summary>
/// Where a ClusterPair points: the server of its kubeconfig's current-context (the cluster Stork migrates to), and the
/// context of the local kubeconfig that reaches the same server, so a failover runbook goes from the source's pair to
/// the destination's -Context without copying names by hand.
/// </summary>
public static class ClusterPairRemote
{
    /// <summary>
    /// The server URL of spec.config's current-context. Stork stores the kubeconfig in client-go's internal form
    /// (clusters/contexts as maps by name); the file form (lists of {name, cluster}) is read too.
    /// </summary>
    public static string? Server(JsonNode? config)
    {
        var current = StorkResources.Text(config, "current-context") ?? StorkResources.Text(config, "currentContext");
        if (current is null)
            return null;
        var cluster = StorkResources.Text(Named(config?["contexts"], current, "context"), "cluster");
        return cluster is null ? null : StorkResources.Text(Named(config?["clusters"], cluster, "cluster"), "server");
    }

    /// <summary>The first context (file order) of <paramref name="local"/> whose cluster has the same server, else null.</summary>
    public static string? LocalContextFor(KubeConfig local, string? remoteServer)
    {
        if (remoteServer is null || !Uri.TryCreate(remoteServer, UriKind.Absolute, out var remote))
            return null;
        foreach (var context in local.ContextsInOrder)
        {
            if (context.Cluster is not null && local.Clusters.TryGetValue(context.Cluster, out var cluster)
                && Uri.TryCreate(cluster.Server, UriKind.Absolute, out var server)
                && Uri.Compare(server, remote, UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0)
                return context.Name;
        }
        return null;
    }

    private static JsonNode? Named(JsonNode? entries, string name, string inner) => entries switch
    {
        JsonObject map => map[name],
        JsonArray list => list.OfType<JsonObject>().FirstOrDefault(e => StorkResources.Text(e, "name") == name)?[inner],
        _ => null,
    };
}
