using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using ClusterOps.Core.Common;
using ClusterOps.Kubernetes.Http;

namespace ClusterOps.Core.Scheduling;

/// <summary>The object whose events are wanted. <see cref="Namespace"/> null: a cluster-scoped object (events of any namespace).</summary>
public sealed record KubeEventQuery(string Kind, string Name, string? Namespace);

/// <summary>
/// Get-KubeEvent: the core/v1 events of one object, found as kubectl describe finds them (field selector on
/// involvedObject.kind and involvedObject.name in the object's namespace), oldest first.
/// </summary>
public sealed class KubeEventOperations
{
    public const string KindMissing = "KubeEventObjectKindUnknown";

    private readonly KubeClient _client;
    private readonly TimeProvider _time;

    public KubeEventOperations(KubeClient client, TimeProvider? time = null)
    {
        _client = client;
        _time = time ?? TimeProvider.System;
    }

    public async IAsyncEnumerable<KubeEventInfo> GetAsync(KubeEventQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(query.Kind) || string.IsNullOrEmpty(query.Name))
            throw new OperationException(KindMissing, FailureKind.InvalidArgument,
                "The object needs a Kind and a Name to look up its events.", query);
        var selector = $"involvedObject.kind={query.Kind},involvedObject.name={query.Name}";
        if (query.Namespace is not null)
            selector += $",involvedObject.namespace={query.Namespace}";
        var events = new List<JsonObject>();
        await foreach (var e in _client.ListAsync(StorkResources.Events, query.Namespace, new ListOptions { FieldSelector = selector }, cancellationToken).ConfigureAwait(false))
            events.Add(e);
        var now = _time.GetUtcNow();
        foreach (var info in events.Select(e => KubeEventInfo.Read(e, now)).OrderBy(e => e.LastSeen ?? DateTimeOffset.MinValue).ThenBy(e => e.FirstSeen ?? DateTimeOffset.MinValue))
            yield return info;
    }

    /// <summary>
    /// Kind/Name/Namespace of any object: its Kind property, else its .NET type name without "Info"
    /// (PersistentVolumeClaimInfo → PersistentVolumeClaim), so every ClusterOps output object can be piped in.
    /// </summary>
    public static KubeEventQuery QueryFor(string? kind, string typeName, string? name, string? @namespace)
    {
        var effectiveKind = !string.IsNullOrEmpty(kind) ? kind
            : typeName.EndsWith("Info", StringComparison.Ordinal) ? typeName[..^4] : "";
        if (effectiveKind.Length == 0 || string.IsNullOrEmpty(name))
            throw new OperationException(KindMissing, FailureKind.InvalidArgument,
                $"Cannot tell which Kubernetes object a {typeName} is: it needs Kind (or a type named <Kind>Info) and Name properties. Use -Kind and -Name.", typeName);
        return new KubeEventQuery(effectiveKind, name, string.IsNullOrEmpty(@namespace) ? null : @namespace);
    }
}
