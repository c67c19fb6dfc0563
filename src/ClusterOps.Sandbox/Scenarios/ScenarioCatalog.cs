using ClusterOps.Sandbox.Server;

namespace ClusterOps.Sandbox.Scenarios;

/// <summary>The named starting states of a sandbox and the namespace each one's kubeconfig context defaults to.</summary>
internal static class ScenarioCatalog
{
    public static string Normalize(string? scenario)
    {
        var s = string.IsNullOrWhiteSpace(scenario) ? "empty" : scenario.Trim().ToLowerInvariant();
        return s is "empty" or "tml" or "stork" or "3scale" or "all"
            ? s
            : throw new ArgumentException($"unknown scenario '{scenario}' (expected empty, tml, stork, 3scale or all)", nameof(scenario));
    }

    public static string DefaultNamespace(string scenario) => scenario switch
    {
        "tml" => "tml",
        "stork" => "mysql",
        "3scale" => "3scale",
        _ => "default",
    };

    public static bool IsReady(string scenario, ObjectStore store) => scenario switch
    {
        "tml" => Scenarios.Seed.WorkloadsReady(store, TmlScenario.Namespace),
        "stork" => Scenarios.Seed.WorkloadsReady(store, StorkScenario.Namespace),
        "3scale" => ThreeScaleScenario.IsReady(store),
        "all" => Scenarios.Seed.WorkloadsReady(store, TmlScenario.Namespace) && Scenarios.Seed.WorkloadsReady(store, StorkScenario.Namespace) && ThreeScaleScenario.IsReady(store),
        _ => true,
    };

    public static void Seed(string scenario, ObjectStore store)
    {
        switch (scenario)
        {
            case "tml": TmlScenario.Seed(store); break;
            case "stork": StorkScenario.Seed(store); break;
            case "3scale": ThreeScaleScenario.Seed(store); break;
            case "all":
                TmlScenario.Seed(store);
                StorkScenario.Seed(store);
                ThreeScaleScenario.Seed(store);
                break;
        }
    }
}
