using System.Text.Json.Nodes;

namespace ClusterOps.Sandbox.Server;

/// <summary>Legacy discovery documents (kubectl falls back to them) and the minimal OpenAPI v3 kubectl validates with.</summary>
internal static class Discovery
{
    public static JsonObject Version() => new()
    {
        ["major"] = "1",
        ["minor"] = "32",
        ["gitVersion"] = "v1.32.0",
        ["gitCommit"] = "70d3cc986aa8221cd1dfb1121852688902d3bf53",
        ["gitTreeState"] = "clean",
        ["buildDate"] = "2024-12-11T17:59:15Z",
        ["goVersion"] = "go1.23.3",
        ["compiler"] = "gc",
        ["platform"] = "linux/amd64",
    };

    public static JsonObject ApiVersions(string serverAddress) => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = serverAddress }),
    };

    private static IEnumerable<(string Group, string[] Versions)> Groups(ResourceRegistry registry) =>
        registry.All.Where(d => d.Group.Length > 0)
            .GroupBy(d => d.Group)
            .Select(g => (g.Key, g.Select(d => d.Version).Distinct().OrderByDescending(VersionPriority).ToArray()));

    // Kubernetes version priority: GA over beta over alpha, higher numbers first.
    private static int VersionPriority(string v)
    {
        var m = System.Text.RegularExpressions.Regex.Match(v, "^v(\\d+)(?:(alpha|beta)(\\d+))?$");
        if (!m.Success) return 0;
        var major = int.Parse(m.Groups[1].Value);
        var level = m.Groups[2].Value switch { "alpha" => 1, "beta" => 2, _ => 3 };
        var minor = m.Groups[3].Success ? int.Parse(m.Groups[3].Value) : 0;
        return level * 1_000_000 + major * 1000 + minor;
    }

    private static JsonObject GroupObject(string group, string[] versions) => new()
    {
        ["name"] = group,
        ["versions"] = new JsonArray(versions.Select(v => (JsonNode)new JsonObject { ["groupVersion"] = $"{group}/{v}", ["version"] = v }).ToArray()),
        ["preferredVersion"] = new JsonObject { ["groupVersion"] = $"{group}/{versions[0]}", ["version"] = versions[0] },
    };

    public static JsonObject ApiGroupList(ResourceRegistry registry) => new()
    {
        ["kind"] = "APIGroupList",
        ["apiVersion"] = "v1",
        ["groups"] = new JsonArray(Groups(registry).Select(g => (JsonNode)GroupObject(g.Group, g.Versions)).ToArray()),
    };

    public static JsonObject? ApiGroup(ResourceRegistry registry, string group)
    {
        var g = Groups(registry).FirstOrDefault(x => x.Group == group);
        if (g.Group == null) return null;
        var o = GroupObject(g.Group, g.Versions);
        o["kind"] = "APIGroup";
        o["apiVersion"] = "v1";
        return o;
    }

    public static JsonObject? ResourceList(ResourceRegistry registry, string group, string version)
    {
        var defs = registry.All.Where(d => d.Group == group && d.Version == version).ToList();
        if (defs.Count == 0) return null;
        var resources = new JsonArray();
        foreach (var d in defs)
        {
            var r = new JsonObject
            {
                ["name"] = d.Plural,
                ["singularName"] = d.Singular,
                ["namespaced"] = d.Namespaced,
                ["kind"] = d.Kind,
                ["verbs"] = new JsonArray(d.Verbs.Select(v => (JsonNode)v).ToArray()),
            };
            if (d.ShortNames.Length > 0) r["shortNames"] = new JsonArray(d.ShortNames.Select(v => (JsonNode)v).ToArray());
            if (d.Categories.Length > 0) r["categories"] = new JsonArray(d.Categories.Select(v => (JsonNode)v).ToArray());
            resources.Add(r);
            if (d.HasStatus)
                resources.Add(new JsonObject { ["name"] = d.Plural + "/status", ["singularName"] = "", ["namespaced"] = d.Namespaced, ["kind"] = d.Kind, ["verbs"] = new JsonArray("get", "patch", "update") });
            if (d.StoreId == "pods")
                resources.Add(new JsonObject { ["name"] = "pods/log", ["singularName"] = "", ["namespaced"] = true, ["kind"] = "Pod", ["verbs"] = new JsonArray("get") });
            if (d.HasScale)
                resources.Add(new JsonObject { ["name"] = d.Plural + "/scale", ["singularName"] = "", ["namespaced"] = d.Namespaced, ["group"] = "autoscaling", ["version"] = "v1", ["kind"] = "Scale", ["verbs"] = new JsonArray("get", "patch", "update") });
        }
        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : $"{group}/{version}",
            ["resources"] = resources,
        };
    }

    private static string GvPath(string group, string version) => group.Length == 0 ? $"api/{version}" : $"apis/{group}/{version}";

    public static JsonObject OpenApiRoot(ResourceRegistry registry)
    {
        var paths = new JsonObject();
        var hash = registry.Generation.ToString("X8");
        foreach (var gv in registry.All.Select(d => (d.Group, d.Version)).Distinct())
        {
            var p = GvPath(gv.Group, gv.Version);
            paths[p] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{p}?hash={hash}" };
        }
        return new JsonObject { ["paths"] = paths };
    }

    /// <summary>Per group-version document: a PATCH operation per kind declaring fieldValidation, which is all kubectl checks.</summary>
    public static JsonObject? OpenApiGroupVersion(ResourceRegistry registry, string gvPath)
    {
        var defs = registry.All.Where(d => GvPath(d.Group, d.Version) == gvPath).ToList();
        if (defs.Count == 0) return null;
        var paths = new JsonObject();
        foreach (var d in defs.Where(d => !d.Virtual))
        {
            var prefix = "/" + gvPath + (d.Namespaced ? "/namespaces/{namespace}/" : "/") + d.Plural + "/{name}";
            paths[prefix] = new JsonObject
            {
                ["patch"] = new JsonObject
                {
                    ["operationId"] = $"patch{d.Kind}",
                    ["parameters"] = new JsonArray(
                        new JsonObject { ["name"] = "dryRun", ["in"] = "query", ["schema"] = new JsonObject { ["type"] = "string" } },
                        new JsonObject { ["name"] = "fieldManager", ["in"] = "query", ["schema"] = new JsonObject { ["type"] = "string" } },
                        new JsonObject { ["name"] = "fieldValidation", ["in"] = "query", ["schema"] = new JsonObject { ["type"] = "string" } }),
                    ["x-kubernetes-action"] = "patch",
                    ["x-kubernetes-group-version-kind"] = new JsonObject { ["group"] = d.Group, ["version"] = d.Version, ["kind"] = d.Kind },
                },
            };
        }
        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = "v1.32.0" },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = new JsonObject() },
        };
    }
}
