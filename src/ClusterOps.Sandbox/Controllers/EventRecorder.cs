using System.Text.Json.Nodes;
using ClusterOps.Sandbox.Server;

namespace ClusterOps.Sandbox.Controllers;

/// <summary>Records core/v1 Events the way client-go's recorder does: a repeat of the same event bumps count and lastTimestamp.</summary>
internal sealed class EventRecorder
{
    private readonly ObjectStore _store;
    private readonly Dictionary<string, (string Ns, string Name)> _seen = new();

    public EventRecorder(ObjectStore store) => _store = store;

    private ResourceDef Events => _store.Registry.Find("", "v1", "events")!;

    public void Normal(JsonObject obj, string reason, string message, string component) => Record(obj, "Normal", reason, message, component);

    public void Warning(JsonObject obj, string reason, string message, string component) => Record(obj, "Warning", reason, message, component);

    public void Record(JsonObject obj, string type, string reason, string message, string component, string? fieldPath = null)
    {
        var ns = Json.Str(obj, "metadata", "namespace") ?? "default";
        var name = Json.Str(obj, "metadata", "name") ?? "";
        var uid = Json.Str(obj, "metadata", "uid") ?? "";
        var now = _store.Clock.Timestamp();
        if (_store.Get(_store.NamespaceDef, null, ns) is not { IsDeleting: false }) return;
        var key = $"{uid}|{type}|{reason}|{message}|{fieldPath}";
        lock (_seen)
        {
            if (_seen.TryGetValue(key, out var existing) && _store.Get(Events, existing.Ns, existing.Name) != null)
            {
                try
                {
                    _store.Mutate(Events, existing.Ns, existing.Name, e =>
                    {
                        e["count"] = (Json.Long(e, "count") ?? 1) + 1;
                        e["lastTimestamp"] = now;
                        return e;
                    }, null);
                    return;
                }
                catch (ApiException)
                {
                }
            }
            var involved = new JsonObject
            {
                ["kind"] = Json.Str(obj, "kind"),
                ["namespace"] = Json.Str(obj, "metadata", "namespace"),
                ["name"] = name,
                ["uid"] = uid,
                ["apiVersion"] = Json.Str(obj, "apiVersion"),
                ["resourceVersion"] = Json.Str(obj, "metadata", "resourceVersion"),
            };
            if (involved["namespace"] == null) involved.Remove("namespace");
            if (fieldPath != null) involved["fieldPath"] = fieldPath;
            var evName = $"{name}.{Convert.ToHexString(BitConverter.GetBytes(DateTime.UtcNow.Ticks ^ Random.Shared.NextInt64())).ToLowerInvariant()[..16]}";
            var ev = new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Event",
                ["metadata"] = new JsonObject { ["name"] = evName, ["namespace"] = ns },
                ["involvedObject"] = involved,
                ["reason"] = reason,
                ["message"] = message,
                ["source"] = component == "kubelet" ? new JsonObject { ["component"] = component, ["host"] = PodController.NodeName } : new JsonObject { ["component"] = component },
                ["firstTimestamp"] = now,
                ["lastTimestamp"] = now,
                ["count"] = 1,
                ["type"] = type,
                ["eventTime"] = null,
                ["reportingComponent"] = component,
                ["reportingInstance"] = component == "kubelet" ? PodController.NodeName : "",
            };
            try
            {
                _store.Create(Events, ev, ns);
                _seen[key] = (ns, evName);
            }
            catch (ApiException)
            {
            }
        }
    }
}
