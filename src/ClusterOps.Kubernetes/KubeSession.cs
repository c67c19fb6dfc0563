using ClusterOps.Kubernetes.Config;
using ClusterOps.Kubernetes.Http;

namespace ClusterOps.Kubernetes;

/// <summary>
/// What a Core operation needs to talk to a cluster: the client, the effective namespace (-Namespace, else the
/// session default from Use-KubeContext, else the context's, else "default") and the context it came from.
/// Cmdlets derived from KubeCmdlet receive one per invocation; tests build one with <see cref="For"/>.
/// </summary>
public sealed record KubeSession(KubeClient Client, string Namespace, string ContextName, ResolvedContext Context)
{
    /// <summary>A session for a resolved context (tests, tools): builds a new client.</summary>
    public static KubeSession For(ResolvedContext context, KubeClientOptions? options = null, KubeLog? log = null) =>
        new(KubeClient.Create(context, options, log), context.Namespace, context.ContextName, context);
}
