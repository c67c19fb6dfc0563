using ClusterOps.Sandbox.Server;

namespace ClusterOps.Sandbox.Scenarios;

/// <summary>A Mashery Local single-zone cluster in namespace tml (filled in with the controllers milestone).</summary>
internal static class TmlScenario
{
    public static void Seed(ObjectStore store)
    {
        if (store.Get(store.NamespaceDef, null, "tml") == null)
            store.Create(store.NamespaceDef, new System.Text.Json.Nodes.JsonObject { ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["name"] = "tml" } }, null);
    }
}
