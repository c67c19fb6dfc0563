using ClusterOps.Core.Common;
using System.Text.Json.Nodes;

namespace ClusterOps.Core.Scheduling;

/// <summary>
/// One ClusterPair as Get-ClusterPair emits it (storkctl: NAME STORAGE-STATUS SCHEDULER-STATUS CREATED). The pair's
/// spec holds the remote cluster's kubeconfig and storage tokens, so the object carried along is redacted: every
/// config value and option value is replaced, only the option names and the current context remain.
/// </summary>
public sealed class ClusterPairInfo : IKubeObjectRecord
{
    public string Kind => StorkResources.ClusterPairKind;
    public required string Name { get; init; }
    public required string Namespace { get; init; }
    public required string StorageStatus { get; init; }
    public required string SchedulerStatus { get; init; }
    public DateTimeOffset? Created { get; init; }

    /// <summary>False when the pair has no storage options: storkctl then treats it as sync DR and excludes volumes.</summary>
    public required bool HasStorageOptions { get; init; }

    /// <summary>Names of spec.options, comma separated (values are not shown: they include tokens).</summary>
    public required string StorageOptions { get; init; }
    public string? RemoteStorageId { get; init; }

    /// <summary>The remote kubeconfig's current-context (the context Stork uses).</summary>
    public string? RemoteContext { get; init; }

    /// <summary>The server of the remote cluster (of that current-context).</summary>
    public string? RemoteServer { get; init; }

    /// <summary>
    /// The context of the local kubeconfig that reaches the remote cluster (same server URL), or null when the local
    /// kubeconfig has none: what -Context takes to work on the destination.
    /// </summary>
    public string? RemoteKubeContext { get; init; }

    /// <summary>The object without credentials; PowerShell sees it as the Object property (PSCustomObject tree), see IKubeObjectRecord.</summary>
    internal JsonObject Object { get; init; } = new();

    JsonObject IKubeObjectRecord.ToKubeObject() => Object;

    public const string Redacted = "<redacted>";

    internal static bool PairHasStorageOptions(JsonObject pair) => StorkResources.At(pair, "spec", "options") is JsonObject { Count: > 0 };

    /// <param name="localKubeConfig">The caller's kubeconfig, to name the local context of the remote cluster.</param>
    public static ClusterPairInfo From(JsonObject pair, ClusterOps.Kubernetes.Config.KubeConfig? localKubeConfig = null)
    {
        var options = StorkResources.At(pair, "spec", "options") as JsonObject;
        var config = StorkResources.At(pair, "spec", "config");
        return new ClusterPairInfo
        {
            Name = StorkResources.Name(pair),
            Namespace = StorkResources.Namespace(pair) ?? "",
            StorageStatus = StorkResources.Text(pair, "status", "storageStatus") ?? "",
            SchedulerStatus = StorkResources.Text(pair, "status", "schedulerStatus") ?? "",
            Created = StorkResources.Time(StorkResources.At(pair, "metadata", "creationTimestamp")),
            HasStorageOptions = options is { Count: > 0 },
            StorageOptions = string.Join(",", options?.Select(p => p.Key).Order(StringComparer.Ordinal) ?? Enumerable.Empty<string>()),
            RemoteStorageId = StorkResources.Text(pair, "status", "remoteStorageId"),
            RemoteContext = StorkResources.Text(config, "current-context") ?? StorkResources.Text(config, "currentContext"),
            RemoteServer = ClusterPairRemote.Server(config),
            RemoteKubeContext = localKubeConfig is null ? null : ClusterPairRemote.LocalContextFor(localKubeConfig, ClusterPairRemote.Server(config)),
            Object = Redact(pair),
        };
    }

    /// <summary>A copy with every value under spec.config and spec.options replaced (they hold tokens, keys and passwords).</summary>
    public static JsonObject Redact(JsonObject pair)
    {
        var copy = (JsonObject)pair.DeepClone();
        if (copy["spec"] is JsonObject spec)
        {
            if (spec["config"] is JsonNode config)
                spec["config"] = RedactValues(config, keep: "current-context");
            if (spec["options"] is JsonObject options)
            {
                foreach (var key in options.Select(p => p.Key).ToList())
                    options[key] = Redacted;
            }
        }
        if (copy["metadata"] is JsonObject meta && meta["annotations"] is JsonObject annotations)
            annotations.Remove("kubectl.kubernetes.io/last-applied-configuration");
        return copy;
    }

    private static JsonNode? RedactValues(JsonNode node, string keep) => node switch
    {
        JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(p.Key,
            p.Key == keep || p.Key == "currentContext" ? p.Value?.DeepClone() : p.Value is null ? null : RedactValues(p.Value, keep)))),
        JsonArray a => new JsonArray(a.Select(i => i is null ? null : RedactValues(i, keep)).ToArray()),
        _ => JsonValue.Create(Redacted),
    };

    public override string ToString() => $"{Namespace}/{Name}";
}
