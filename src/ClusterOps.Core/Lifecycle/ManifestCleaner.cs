using System.Text.Json.Nodes;

namespace ClusterOps.Core.Lifecycle;

/// <summary>
/// Turns a live object into a definition that can be created again: server-owned fields go (status, uid,
/// resourceVersion, managedFields, creationTimestamp, generation, selfLink, deletion markers), everything else stays,
/// including fields this code does not know. Owner references go too: they name the owner's uid, and a recreated
/// object pointing at a uid that no longer exists would be garbage-collected at once.
/// </summary>
public static class ManifestCleaner
{
    private static readonly string[] ServerMetadata =
    {
        "uid", "resourceVersion", "managedFields", "creationTimestamp", "generation", "selfLink",
        "deletionTimestamp", "deletionGracePeriodSeconds", "ownerReferences",
    };

    /// <summary>Annotations the server or a controller writes, which would be wrong on a new object.</summary>
    private static readonly string[] ControllerAnnotations =
    {
        "deployment.kubernetes.io/revision",
    };

    /// <summary>A cleaned deep copy; the input is not modified.</summary>
    public static JsonObject Clean(JsonObject live, IEnumerable<string>? dropAnnotations = null)
    {
        var copy = (JsonObject)live.DeepClone();
        copy.Remove("status");
        if (copy["metadata"] is JsonObject meta)
        {
            foreach (var field in ServerMetadata)
                meta.Remove(field);
            if (meta["annotations"] is JsonObject annotations)
            {
                foreach (var a in ControllerAnnotations.Concat(dropAnnotations ?? Enumerable.Empty<string>()))
                    annotations.Remove(a);
                if (annotations.Count == 0)
                    meta.Remove("annotations");
            }
        }

        var kind = copy["kind"]?.GetValue<string>();
        if (copy["spec"] is JsonObject spec)
        {
            if (kind == "Service")
                CleanServiceSpec(spec);
            if (spec["template"] is JsonObject template && template["metadata"] is JsonObject templateMeta)
                templateMeta.Remove("creationTimestamp");
            if (spec["volumeClaimTemplates"] is JsonArray claimTemplates)
            {
                foreach (var t in claimTemplates.OfType<JsonObject>())
                {
                    t.Remove("status");
                    if (t["metadata"] is JsonObject tm)
                        tm.Remove("creationTimestamp");
                }
            }
        }
        return copy;
    }

    private static void CleanServiceSpec(JsonObject spec)
    {
        // A headless service must stay headless ("None"); an allocated IP is the cluster's and may be reused by
        // another service while this one is gone, so a new one is allocated instead.
        var clusterIp = spec["clusterIP"]?.GetValue<string>();
        if (clusterIp != "None")
        {
            spec.Remove("clusterIP");
            spec.Remove("clusterIPs");
        }
        spec.Remove("healthCheckNodePort");
    }
}
