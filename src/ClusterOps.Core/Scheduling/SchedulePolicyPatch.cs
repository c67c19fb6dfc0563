using System.Text.Json.Nodes;

namespace ClusterOps.Core.Scheduling;

/// <summary>
/// JSON merge patches (application/merge-patch+json, which custom resources accept) that change a policy's
/// sections without replacing the object: a removed section is sent as null, a changed one as its known fields,
/// so fields ClusterOps does not know survive inside and outside the section. Pair it with the object's
/// resourceVersion (<see cref="ForSpec"/>) so a concurrent edit makes the API answer 409 instead of being overwritten.
/// </summary>
public static class SchedulePolicyPatch
{
    /// <summary>The patch from <paramref name="current"/> to <paramref name="desired"/>; null when nothing changes.</summary>
    public static JsonObject? ForSpec(SchedulePolicySpec current, SchedulePolicySpec desired, string? resourceVersion = null)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(desired);
        // Build the desired sections through the document writer so that the field rules live in one place.
        var desiredJson = SchedulePolicyDocument.Create("patch", null, desired).Json["policy"]!.AsObject();
        var policy = new JsonObject();
        foreach (var (key, type) in new[] { ("interval", SchedulePolicyType.Interval), ("daily", SchedulePolicyType.Daily), ("weekly", SchedulePolicyType.Weekly), ("monthly", SchedulePolicyType.Monthly) })
        {
            var had = current.Has(type);
            var wants = desired.Has(type);
            if (!wants && had)
            {
                policy[key] = null;
            }
            else if (wants && !SameSection(current, desired, type))
            {
                var section = desiredJson[key]!.DeepClone().AsObject();
                // Merge patch keeps keys it is not given: zero retain, no options and no forceFullSnapshotDay must be
                // sent as null to clear values the current object may still hold.
                foreach (var optional in new[] { "retain", "options", "forceFullSnapshotDay" })
                {
                    if (!section.ContainsKey(optional) && (optional != "forceFullSnapshotDay" || type == SchedulePolicyType.Daily))
                        section[optional] = null;
                }
                policy[key] = section;
            }
        }
        if (policy.Count == 0)
            return null;
        var patch = new JsonObject { ["policy"] = policy };
        if (resourceVersion is not null)
            patch["metadata"] = new JsonObject { ["resourceVersion"] = resourceVersion };
        return patch;
    }

    private static bool SameSection(SchedulePolicySpec a, SchedulePolicySpec b, SchedulePolicyType type) => type switch
    {
        SchedulePolicyType.Interval => SameIgnoringOptions(a.Interval, b.Interval, (x, y) => x with { Options = null } == y with { Options = null }, x => x.Options, y => y.Options),
        SchedulePolicyType.Daily => SameIgnoringOptions(a.Daily, b.Daily, (x, y) => x with { Options = null } == y with { Options = null }, x => x.Options, y => y.Options),
        SchedulePolicyType.Weekly => SameIgnoringOptions(a.Weekly, b.Weekly, (x, y) => x with { Options = null } == y with { Options = null }, x => x.Options, y => y.Options),
        _ => SameIgnoringOptions(a.Monthly, b.Monthly, (x, y) => x with { Options = null } == y with { Options = null }, x => x.Options, y => y.Options),
    };

    // Records compare dictionaries by reference; options are compared by content.
    private static bool SameIgnoringOptions<T>(T? x, T? y, Func<T, T, bool> sameScalars, Func<T, IReadOnlyDictionary<string, string>?> ox, Func<T, IReadOnlyDictionary<string, string>?> oy)
        where T : class
    {
        if (x is null || y is null)
            return x is null && y is null;
        if (!sameScalars(x, y))
            return false;
        var a = ox(x) ?? new Dictionary<string, string>();
        var b = oy(y) ?? new Dictionary<string, string>();
        return a.Count == b.Count && a.All(p => b.TryGetValue(p.Key, out var v) && v == p.Value);
    }
}
